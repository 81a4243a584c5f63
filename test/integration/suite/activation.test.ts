// Activation and what package.json contributes, checked in a running VS Code.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, api, exampleUri } from './util';

const ATTRIBUTES = ['program', 'stopOnEntry', 'cores', 'gic', 'memory', 'entryEL', 'profile', 'trace', 'maxInstructions'];
const COMMANDS = ['armvirt.debugFile', 'armvirt.runFile', 'armvirt.showTrace', 'armvirt.translateAddress', 'armvirt.showExperiments'];

describe('activation', () => {
  it('activates and returns its API', async () => {
    const a = await api();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.equal(typeof a.lastAdapterKind, 'function');
  });

  it('contributes the armvirt debugger with every launch attribute documented', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const dbg = pkg.contributes.debuggers.find((d: { type: string }) => d.type === 'armvirt');
    assert.ok(dbg, 'debugger armvirt');
    const props = dbg.configurationAttributes.launch.properties;
    for (const a of ATTRIBUTES) {
      assert.ok(props[a], `attribute ${a}`);
      assert.ok(typeof props[a].description === 'string' && props[a].description.length > 10, `${a} has a description`);
      assert.ok('default' in props[a], `${a} has a default`);
    }
    assert.ok(dbg.initialConfigurations.length > 0 && dbg.configurationSnippets.length > 0);
    assert.deepEqual(pkg.contributes.breakpoints, [{ language: 'aarch64-asm' }]);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('registers its commands', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of COMMANDS) assert.ok(all.includes(c), c);
  });

  it('opens .S files as aarch64-asm', async () => {
    const doc = await vscode.workspace.openTextDocument(exampleUri('hyp-hvc-virq.S'));
    assert.equal(doc.languageId, 'aarch64-asm');
  });
});
