// The Experiments panel's page: the panels' CSP (nothing by default, scripts only with the page's
// nonce, styles only from the webview's resource origin), its script and the charts' stylesheet.
import * as assert from 'node:assert/strict';
import { experimentsPageHtml } from '../../../src/extension/panels/experiments-page';

describe('Experiments panel page', () => {
  const html = experimentsPageHtml({ cspSource: 'vscode-resource:', dist: (f) => `vscode-resource:/ext/dist/${f}`, nonce: 'abc123XYZ' });

  it('has the panels\' CSP with the nonce, and every script carries it', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.equal(csp, "default-src 'none'; script-src 'nonce-abc123XYZ'; style-src vscode-resource:; font-src vscode-resource:");
    const scripts = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, ['<script nonce="abc123XYZ" src="vscode-resource:/ext/dist/webview-experiments.js">']);
  });

  it('links the charts\' stylesheet after the panels\' and has no inline style or remote URL', () => {
    const links = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(links.slice(-2), ['vscode-resource:/ext/dist/webview.css', 'vscode-resource:/ext/dist/webview-experiments.css']);
    assert.doesNotMatch(html, /<style|style="|https?:/);
  });
});
