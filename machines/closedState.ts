/**
 * The final state every machine enters on close(): `description` says what is over by then, and
 * `entry` the actions that release and report it.
 */
export function closedState<const Entry>(description: string, entry: Entry) {
  return { type: 'final', description, entry } as const;
}
