import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** A relative link of a markdown file that does not lead where it says. */
export interface BrokenLink {
  readonly file: string;
  readonly link: string;
  readonly problem: string;
}

/** The targets of `[text](target)` links outside code blocks and code spans. */
export function markdownLinks(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** How many headings of `markdown` make each anchor. */
function anchorsOf(markdown: string): Map<string, number> {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const counts = new Map<string, number>();
  for (const m of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const anchor = headingAnchor(m[1] as string);
    counts.set(anchor, (counts.get(anchor) ?? 0) + 1);
  }
  return counts;
}

/**
 * Every relative link of each file (paths relative to `root`) that names no file under `root`, or
 * a heading its markdown target does not have, or has twice. Links with a scheme (`https:`, `mailto:`) are left out.
 */
export function brokenLinks(root: string, files: readonly string[]): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const path = join(root, file);
    for (const link of markdownLinks(readFileSync(path, 'utf8'))) {
      if (/^[a-z][a-z+.-]*:/i.test(link)) continue;
      const [target = '', anchor] = link.split('#');
      const targetPath = target === '' ? path : join(dirname(path), target);
      if (relative(root, targetPath).startsWith('..')) {
        broken.push({ file, link, problem: 'outside the package' });
      } else if (!existsSync(targetPath)) {
        broken.push({ file, link, problem: 'no such file' });
      } else if (anchor !== undefined && targetPath.endsWith('.md')) {
        // GitHub suffixes a repeated heading's anchor (`-1`): a link reaches only the first.
        const headings = anchorsOf(readFileSync(targetPath, 'utf8')).get(anchor) ?? 0;
        if (headings === 0) broken.push({ file, link, problem: 'no such heading' });
        else if (headings > 1) broken.push({ file, link, problem: 'heading named twice' });
      }
    }
  }
  return broken;
}
