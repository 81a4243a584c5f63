// The Experiments panel's page (no vscode import: the render test loads this same page): the
// panels' HTML and CSP (html.ts) with the experiments script and the charts' stylesheet.
import { panelHtml } from './html';

/** `dist(f)` is dist/f as the webview sees it; `preScripts` are the tests' acquireVsCodeApi stub. */
export function experimentsPageHtml(o: { cspSource: string; dist: (file: string) => string; nonce?: string; preScripts?: string[]; extraStyles?: string[] }): string {
  return panelHtml({
    title: 'ArmVirt: Experiments', cspSource: o.cspSource, nonce: o.nonce, script: o.dist('webview-experiments.js'), preScripts: o.preScripts,
    styles: [...(o.extraStyles ?? []), o.dist('codicons/codicon.css'), o.dist('webview.css'), o.dist('webview-experiments.css')],
  });
}
