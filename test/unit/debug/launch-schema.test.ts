// Launch attributes: package.json declares them once; the adapter and the extension check against
// those rows (src/debug/launch-schema.ts), and README's attribute table must list the same ones.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAUNCH_ATTRIBUTES, REQUIRED_LAUNCH_ATTRIBUTES, checkAttribute, checkLaunchAttributes } from '../../../src/debug/launch-schema';
import { checkLaunchConfig } from '../../../src/extension/config';

const ROOT = path.resolve(__dirname, '../../..');

describe('debug: launch attribute schema', () => {
  it('has the rows of package.json configurationAttributes.launch; neither program nor kernel is required alone', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const launch = pkg.contributes.debuggers[0].configurationAttributes.launch;
    assert.deepStrictEqual(LAUNCH_ATTRIBUTES.map((a) => a.name), Object.keys(launch.properties));
    assert.deepStrictEqual([...REQUIRED_LAUNCH_ATTRIBUTES], launch.required ?? []);
    // One of the two is required; the adapter's launch checks that (test/debug/dap-fuzz.test.ts).
    assert.ok(!REQUIRED_LAUNCH_ATTRIBUTES.includes('program') && !REQUIRED_LAUNCH_ATTRIBUTES.includes('kernel'));
  });

  it("README's attribute table lists every attribute with its range or values", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('| attribute | type | default | meaning |');
    assert.ok(start >= 0, 'README has no launch attribute table');
    const lines = readme.slice(start).split('\n');
    const rows = lines.slice(2, lines.findIndex((l) => !l.startsWith('|'))).filter((l) => l.startsWith('| `'));
    const table = new Map(rows.map((l) => { const cells = l.split(' | '); return [cells[0].replace(/^\| `|`$/g, ''), cells[1]] as const; }));
    assert.deepStrictEqual([...table.keys()].sort(), LAUNCH_ATTRIBUTES.map((a) => a.name).sort());
    for (const a of LAUNCH_ATTRIBUTES) {
      const type = table.get(a.name)!;
      for (const v of a.enum ?? []) assert.ok(type.includes(String(v)), `${a.name}: README type '${type}' lacks ${v}`);
      if (a.minimum !== undefined && a.maximum !== undefined) assert.ok(type.includes(`${a.minimum}–${a.maximum}`), `${a.name}: README type '${type}'`);
      else if (a.minimum !== undefined) assert.ok(type.includes(`≥ ${a.minimum}`), `${a.name}: README type '${type}'`);
    }
  });

  it('names the attribute and the rule it breaks', () => {
    const row = (n: string) => LAUNCH_ATTRIBUTES.find((a) => a.name === n)!;
    assert.strictEqual(checkAttribute(row('maxInstructions'), -5), '"maxInstructions" must be an integer from 0 upwards (got -5)');
    assert.strictEqual(checkAttribute(row('cores'), 2.5), '"cores" must be an integer from 1 to 8 (got 2.5)');
    assert.strictEqual(checkAttribute(row('stopOnEntry'), 'yes'), `"stopOnEntry" must be true or false (got 'yes')`);
    assert.strictEqual(checkAttribute(row('gic'), 'v4'), `"gic" must be one of 'v2', 'v3' (got 'v4')`);
    assert.strictEqual(checkAttribute(row('program'), 5), '"program" must be a string (got 5)');
    assert.strictEqual(checkAttribute(row('snapshotInterval'), 10), '"snapshotInterval" must be an integer from 1000 upwards (got 10)');
    for (const [n, v] of [['cores', 8], ['memory', 3072], ['entryEL', 1], ['cpu', 'max'], ['trace', true], ['maxInstructions', 0]] as const) {
      assert.strictEqual(checkAttribute(row(n), v), undefined, n);
    }
  });

  it('reports every bad attribute, and names unknown ones without refusing them', () => {
    const r = checkLaunchAttributes({ cores: 0, gic: 'x', stopOnEntyr: true, type: 'armvirt', request: 'launch', name: 'n', __sessionId: 'id' });
    assert.deepStrictEqual(r.errors.map((e) => e.split(' ')[0]), ['"cores"', '"gic"']);
    assert.deepStrictEqual(r.unknown, ['stopOnEntyr']);
  });

  it('the extension checks the same rows (a new row in package.json reaches both)', () => {
    const r = checkLaunchConfig({ program: '/p.S', snapshotInterval: 5 }, undefined, () => true);
    assert.deepStrictEqual(r.errors, ['"snapshotInterval" must be an integer from 1000 upwards (got 5)']);
  });
});
