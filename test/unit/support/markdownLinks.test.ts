import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenLinks, headingAnchor, markdownLinks } from '../../support/markdownLinks';

// The checker the package test runs over the installed README and docs: it must catch each kind of
// broken link, or that test would pass on a package whose links lead nowhere.
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rm-links-'));
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, 'docs', 'a.md'), '# A page\n\n## Read-through with `fetch`\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function check(readme: string) {
  writeFileSync(join(root, 'README.md'), readme);
  return brokenLinks(root, ['README.md']);
}

describe('markdownLinks', () => {
  it('finds links in prose, not in code blocks or code spans', () => {
    const text = 'See [a](docs/a.md) and `[b](b.md)`.\n```md\n[c](c.md)\n```\n[d](https://x.org)';
    expect(markdownLinks(text)).toEqual(['docs/a.md', 'https://x.org']);
  });

  it("makes GitHub's anchor of a heading", () => {
    expect(headingAnchor('Read-through with `fetch`')).toBe('read-through-with-fetch');
    expect(headingAnchor('Errors and bad input')).toBe('errors-and-bad-input');
  });

  it('accepts links to files and headings that exist, and links with a scheme', () => {
    expect(
      check('[a](docs/a.md) [b](docs/a.md#read-through-with-fetch) [c](#top) [d](https://x.org)\n# Top\n'),
    ).toEqual([]);
  });

  it('reports a missing file, a missing heading and a path outside the root', () => {
    expect(check('[a](docs/b.md) [b](docs/a.md#nothing) [c](../x.md) [d](#nowhere)\n')).toEqual([
      { file: 'README.md', link: 'docs/b.md', problem: 'no such file' },
      { file: 'README.md', link: 'docs/a.md#nothing', problem: 'no such heading' },
      { file: 'README.md', link: '../x.md', problem: 'outside the package' },
      { file: 'README.md', link: '#nowhere', problem: 'no such heading' },
    ]);
  });

  it('reports a link to a heading that two headings share: it reaches only the first', () => {
    expect(check('[a](#proxies) [b](#top)\n# Top\n## Proxies\ntext\n## Proxies\nmore\n')).toEqual([
      { file: 'README.md', link: '#proxies', problem: 'heading named twice' },
    ]);
  });
});
