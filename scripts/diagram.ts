// Writes docs/state-diagram.md: a mermaid statechart generated from the machine definition, so the
// picture cannot drift from the code (test/stateDiagram.test.ts fails when the file is stale).
// Run: npm run docs:diagram
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { connectionMachine } from '../machines/connectionMachine';

export const DIAGRAM_PATH = fileURLToPath(new URL('../docs/state-diagram.md', import.meta.url));

type Transition = AnyStateNode['transitions'] extends Map<string, Array<infer T>> ? T : never;

/** One edge of the diagram: from a state node to a state node (itself for a targetless transition). */
export interface Edge {
  readonly from: AnyStateNode;
  readonly to: AnyStateNode;
  readonly label: string;
}

/** Every state node below the root, depth first in definition order. */
export function stateNodes(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states as Record<string, AnyStateNode>).flatMap((child) => [child, ...stateNodes(child)]);
}

/**
 * The edges of the machine. A transition defined on a parent applies in every child, so the root's
 * transitions (`CLOSE`) are drawn from each top-level state that is not final.
 */
export function edges(machine: AnyStateMachine): Edge[] {
  const result: Edge[] = [];
  for (const node of [machine.root, ...stateNodes(machine.root)]) {
    const sources =
      node === machine.root
        ? (Object.values(machine.root.states) as AnyStateNode[]).filter((s) => s.type !== 'final')
        : [node];
    for (const transitions of node.transitions.values()) {
      for (const transition of transitions) {
        for (const from of sources) {
          for (const to of transition.target ?? [from]) result.push({ from, to, label: label(transition, from) });
        }
      }
    }
  }
  return result;
}

function label(transition: Transition, from: AnyStateNode): string {
  const parts = [eventName(transition.eventType)];
  const guard = guardName(transition.guard);
  if (guard) parts.push(`[${guard}]`);
  const actions = transition.actions.map(actionName).filter((name) => name !== '');
  if (actions.length > 0) parts.push(`/ ${actions.join(', ')}`);
  if (!transition.target) parts.push(`(stays in ${from.key})`);
  return parts.join(' ');
}

function eventName(eventType: string): string {
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]}`;
  const done = /^xstate\.done\.actor\.(.+)$/.exec(eventType);
  if (done) return `${done[1]} resolved`;
  const error = /^xstate\.error\.actor\.(.+)$/.exec(eventType);
  if (error) return `${error[1]} failed`;
  return eventType;
}

function guardName(guard: unknown): string {
  if (guard === undefined) return '';
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    return guard.guards.map(guardName).join(` ${guard.name} `);
  }
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String(guard.type);
  return (guard as { name?: string }).name ?? 'guard';
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'object' && action !== null && 'type' in action) return String(action.type);
  // Inline functions have no name worth showing.
  return '';
}

// Mermaid ids must be unique across composite states: use the path.
function id(node: AnyStateNode): string {
  return node.path.join('_');
}

function declare(node: AnyStateNode, indent: string): string[] {
  const lines = [`${indent}state "${node.key}" as ${id(node)}`];
  const children = Object.values(node.states as Record<string, AnyStateNode>);
  if (children.length === 0) return lines;
  lines[0] += ' {';
  for (const initial of node.initial?.target ?? []) lines.push(`${indent}  [*] --> ${id(initial as AnyStateNode)}`);
  for (const child of children) lines.push(...declare(child, `${indent}  `));
  lines.push(`${indent}}`);
  return lines;
}

// A markdown table padded the way Biome formats one, so `npm run format` leaves the file as generated.
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, 3, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** The whole markdown file: the diagram and a table of what each state does. */
export function stateDiagram(machine: AnyStateMachine): string {
  const root = machine.root;
  const lines = ['```mermaid', 'stateDiagram-v2'];
  for (const initial of root.initial?.target ?? []) lines.push(`  [*] --> ${id(initial as AnyStateNode)}`);
  for (const child of Object.values(root.states as Record<string, AnyStateNode>)) lines.push(...declare(child, '  '));
  for (const edge of edges(machine)) lines.push(`  ${id(edge.from)} --> ${id(edge.to)}: ${edge.label}`);
  for (const node of stateNodes(root)) if (node.type === 'final') lines.push(`  ${id(node)} --> [*]`);
  lines.push('```');

  const rows = stateNodes(root).map((node) => {
    const entry = node.entry.map(actionName).filter((name) => name !== '' && !name.startsWith('xstate.'));
    const invoke = node.invoke.map((definition) => String(definition.src));
    const does = [
      entry.length > 0 ? `entry: ${entry.join(', ')}` : '',
      invoke.length > 0 ? `invokes: ${invoke.join(', ')}` : '',
    ].filter((part) => part !== '');
    return [`\`${node.path.join('.')}\``, node.description ?? '', does.join('; ')];
  });

  return [
    '# Connection state diagram',
    '',
    `<!-- Generated from machines/connectionMachine.ts by \`npm run docs:diagram\`. Do not edit: a test fails when it is stale. -->`,
    '',
    `The \`${machine.id}\` machine. Edges read \`event [guard] / actions\`; \`after X\` is a delayed transition`,
    '(the delay `X` is computed from context, see machines/connectionMachine.ts), `probe resolved` / `probe failed`',
    'are the results of the invoked probe.',
    '',
    ...lines,
    '',
    ...table(['State', 'What it means', 'Does'], rows),
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(DIAGRAM_PATH, stateDiagram(connectionMachine));
  console.log(`wrote ${DIAGRAM_PATH}`);
}
