// `armvirt experiments --html FILE`: the report as one self-contained page — the charts as
// inline SVG, the stylesheet inline, no script and nothing fetched. Its Content-Security-Policy
// allows nothing but that one stylesheet (by hash), so a browser opening the file loads nothing else.
import { createHash } from 'node:crypto';
import type { ExperimentsView } from '../webview/model/experiments';
import { experimentsContent, toMarkup } from '../webview/experiments-svg';

export function reportHtml(view: ExperimentsView, css: string): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  const csp = `default-src 'none'; style-src 'sha256-${hash}'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${toMarkup(view.title)}</title>
<style>${css}</style>
</head>
<body class="report">
<h1>${toMarkup(view.title)}</h1>
${toMarkup(experimentsContent(view))}
</body>
</html>
`;
}
