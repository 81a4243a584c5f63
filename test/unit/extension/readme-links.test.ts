// `vsce package` (npm run package, the first step of the e2e tests) refuses a README with relative
// links when package.json names no repository: README may only link to absolute URLs.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

describe('README links survive vsce package', () => {
  it('has no relative Markdown links (vsce cannot resolve them without a repository URL)', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const relative = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]).filter((u) => !/^(https?:|mailto:)/.test(u));
    assert.deepEqual(relative, [], 'write file paths as `code`, not as links');
  });
});
