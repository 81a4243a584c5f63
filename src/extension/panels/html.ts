// The HTML page of a panel webview (no vscode import, so the render tests use it as is): a strict
// CSP — no inline script or style, scripts only with the page's nonce, styles and fonts only
// from the extension's resources (webview.cspSource) — the stylesheets, and the bundled script.
import { randomBytes } from 'node:crypto';

export interface PanelPage {
  title: string;
  /** webview.cspSource (tests: 'file:'). */
  cspSource: string;
  /** URI of dist/webview-<panel>.js as the webview sees it. */
  script: string;
  styles: string[];
  nonce?: string;
  /** Extra nonce'd scripts before the panel's (tests: the acquireVsCodeApi stub). */
  preScripts?: string[];
}

export const newNonce = (): string => randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '');

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function panelHtml(p: PanelPage): string {
  const nonce = p.nonce ?? newNonce();
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${p.cspSource}; font-src ${p.cspSource}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${p.styles.map((s) => `<link rel="stylesheet" href="${attr(s)}">`).join('\n')}
<title>${attr(p.title)}</title>
</head>
<body>
<main id="root"></main>
${(p.preScripts ?? []).map((s) => `<script nonce="${nonce}" src="${attr(s)}"></script>`).join('\n')}
<script nonce="${nonce}" src="${attr(p.script)}"></script>
</body>
</html>
`;
}
