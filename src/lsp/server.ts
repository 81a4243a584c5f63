// Language server for AArch64 assembly (GNU as syntax), bundled as dist/lspServer.js.
//
//   node dist/lspServer.js --stdio        (or --node-ipc, as vscode-languageclient starts it)
//
// Each open document is analysed (assemble() + tokenizer, see analysis.ts) after a short
// debounce, in a worker thread when one is available, so a long analysis never delays a
// hover or a completion: those answer from the last finished analysis plus the current text
// of the line under the cursor. Definition, references and symbols wait for an analysis of
// the current version.
//
// Initialization options (also read from the `armvirt.asm` settings section):
//   includePaths: string[]   extra directories for .include / #include
//   defines: Record<string, string>   -D definitions for .S files
//   debounceMs: number        delay between the last keystroke and re-analysis (default 200)

import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  createConnection,
  DiagnosticSeverity,
  MarkupKind,
  ProposedFeatures,
  SemanticTokensBuilder,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeResult,
  type Location,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, wordAt, type Analysis, type AnalyzeInput, type PlacedDiagnostic } from './analysis';
import { complete, resolveItem } from './completion';
import { definition, references, type FileSpan } from './definitions';
import { hoverMarkdown, isSysregName } from './hover';
import { documentSymbols } from './symbols';

const WORKER_ROLE = 'armvirt-lsp-analysis';

/** Semantic token legend: system registers, macro invocations, labels and constants. */
export const SEMANTIC_LEGEND = {
  tokenTypes: ['variable', 'macro', 'function'],
  tokenModifiers: ['declaration', 'readonly', 'defaultLibrary'],
};
const TT_VARIABLE = 0;
const TT_MACRO = 1;
const TT_FUNCTION = 2;
const TM_DECLARATION = 1;
const TM_READONLY = 2;
const TM_DEFAULT_LIBRARY = 4;

interface Settings {
  includePaths: string[];
  defines: Record<string, string>;
  debounceMs: number;
}

/** What crosses to the analysis worker. */
interface Job {
  id: number;
  input: Omit<AnalyzeInput, 'readFile'> & { overlay: Record<string, string> };
}

// ------------------------------------------------------------------ worker side

function readFromDisk(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

function runJob(job: Job): Analysis {
  const { overlay, ...rest } = job.input;
  return analyze({ ...rest, readFile: (p) => (Object.prototype.hasOwnProperty.call(overlay, p) ? overlay[p] : readFromDisk(p)) });
}

function runWorker(): void {
  parentPort!.on('message', (job: Job) => {
    try {
      parentPort!.postMessage({ id: job.id, analysis: runJob(job) });
    } catch (e) {
      parentPort!.postMessage({ id: job.id, error: String((e as Error)?.stack ?? e) });
    }
  });
}

/** Runs analyses in a worker thread, or inline when no worker can be started. */
class Analyzer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (a: Analysis) => void; reject: (e: Error) => void; job: Job }>();

  private tried = false;
  private disposed = false;

  constructor(private readonly log: (msg: string) => void) {}

  /** Starts the worker on first use (so a server that never analyses starts fast). */
  private ensureWorker(): void {
    if (this.tried) return;
    this.tried = true;
    // Under a TypeScript loader (__filename is .ts) a worker could not load this file.
    if (!/\.js$/.test(__filename) || process.env.ARMVIRT_LSP_INLINE === '1') return;
    try {
      const w = new Worker(__filename, { workerData: { role: WORKER_ROLE } });
      w.unref();
      w.on('message', (m: { id: number; analysis?: Analysis; error?: string }) => {
        const job = this.waiting.get(m.id);
        if (!job) return;
        this.waiting.delete(m.id);
        if (m.analysis) job.resolve(m.analysis);
        else job.reject(new Error(m.error));
      });
      w.on('error', (e) => this.fallBack(`analysis worker failed: ${e}`));
      w.on('exit', (code) => !this.disposed && this.fallBack(`analysis worker exited with code ${code}`));
      this.worker = w;
    } catch (e) {
      this.log(`analysis runs inline: ${e}`);
    }
  }

  get threaded(): boolean {
    return this.worker !== undefined;
  }

  private fallBack(why: string): void {
    this.log(`${why}; analysing inline from now on`);
    this.worker = undefined;
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      try {
        w.resolve(runJob(w.job));
      } catch (e) {
        w.reject(e as Error);
      }
    }
  }

  run(input: Job['input']): Promise<Analysis> {
    this.ensureWorker();
    const job: Job = { id: this.nextId++, input };
    if (!this.worker) {
      try {
        return Promise.resolve(runJob(job));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return new Promise((resolve, reject) => {
      this.waiting.set(job.id, { resolve, reject, job });
      this.worker!.postMessage(job);
    });
  }

  dispose(): void {
    this.disposed = true;
    void this.worker?.terminate();
  }
}

// ------------------------------------------------------------------ server side

interface DocState {
  uri: string;
  file: string;
  analysis?: Analysis;
  timer?: NodeJS.Timeout;
  waiters: (() => void)[];
}

function uriToFile(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const states = new Map<string, DocState>();
  const settings: Settings = { includePaths: [], defines: {}, debounceMs: 200 };
  const analyzer = new Analyzer((m) => connection.console.log(m));
  const dirty = new Set<string>();
  let busy = false;
  let inFlight: { uri: string; version: number } | undefined;
  let refreshTokens = false;

  const fileToUri = (file: string): string => {
    for (const s of states.values()) if (s.file === file) return s.uri;
    return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) ? pathToFileURL(file).href : file;
  };
  const state = (uri: string): DocState => {
    let s = states.get(uri);
    if (!s) states.set(uri, (s = { uri, file: uriToFile(uri), waiters: [] }));
    return s;
  };
  /** The analyses that see `st`'s file: its own first, then those of open documents including it. */
  const analysesFor = (st: DocState): Analysis[] => {
    const out: Analysis[] = [];
    if (st.analysis) out.push(st.analysis);
    for (const o of states.values()) if (o !== st && o.analysis?.files.has(st.file)) out.push(o.analysis);
    return out;
  };

  // ---------------------------------------------------------------- analysis scheduling

  const schedule = (uri: string, delay = settings.debounceMs): void => {
    const st = states.get(uri);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      dirty.add(uri);
      pump();
    }, delay);
  };

  const pump = (): void => {
    if (busy) return;
    const uri = dirty.values().next().value as string | undefined;
    if (uri === undefined) return;
    dirty.delete(uri);
    const doc = documents.get(uri);
    const st = states.get(uri);
    if (!doc || !st) return pump();
    const overlay: Record<string, string> = {};
    for (const d of documents.all()) if (d.uri !== uri) overlay[uriToFile(d.uri)] = d.getText();
    busy = true;
    const version = doc.version;
    inFlight = { uri, version };
    analyzer
      .run({ root: st.file, version, text: doc.getText(), overlay, includePaths: settings.includePaths, defines: settings.defines })
      .then((an) => {
        if (states.get(uri) !== st) return; // closed meanwhile
        st.analysis = an;
        publish(st);
        for (const o of states.values()) if (o !== st && an.files.has(o.file)) publish(o);
        const current = documents.get(uri)?.version;
        if (current === version) {
          const ws = st.waiters.splice(0);
          for (const w of ws) w();
        }
        if (refreshTokens) void connection.languages.semanticTokens.refresh();
      })
      .catch((e) => {
        connection.console.error(`analysis of ${uri} failed: ${e}`);
        for (const w of st.waiters.splice(0)) w();
      })
      .finally(() => {
        busy = false;
        inFlight = undefined;
        pump();
      });
  };

  /** The analysis of the document's current version (waits for it). */
  const fresh = (uri: string): Promise<DocState | undefined> => {
    const st = states.get(uri);
    const doc = documents.get(uri);
    if (!st || !doc) return Promise.resolve(undefined);
    if (st.analysis?.version === doc.version) return Promise.resolve(st);
    return new Promise((resolve) => {
      st.waiters.push(() => resolve(st));
      if (st.timer) {
        clearTimeout(st.timer);
        st.timer = undefined;
        dirty.add(uri);
      } else if (inFlight?.uri !== uri || inFlight.version !== doc.version) dirty.add(uri);
      pump();
    });
  };
  /** Whatever analysis exists (waits only when there is none yet). */
  const latest = async (uri: string): Promise<DocState | undefined> => {
    const st = states.get(uri);
    if (st?.analysis) return st;
    return fresh(uri);
  };

  const toDiagnostic = (d: PlacedDiagnostic): Diagnostic => ({
    range: { start: { line: d.line, character: d.start }, end: { line: d.line, character: d.end } },
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'armvirt-as',
    message: d.message,
    relatedInformation: d.related?.map((r) => ({
      location: { uri: fileToUri(r.file), range: { start: { line: r.span.line, character: r.span.start }, end: { line: r.span.line, character: r.span.end } } },
      message: r.message,
    })),
  });

  /** Publishes a document's diagnostics: from an open document that includes it, else its own. */
  const publish = (st: DocState): void => {
    let an: Analysis | undefined;
    for (const o of states.values()) if (o !== st && o.analysis?.files.has(st.file)) an = o.analysis;
    an ??= st.analysis;
    if (!an) return;
    const diagnostics = an.diagnostics.filter((d) => d.file === st.file).map(toDiagnostic);
    void connection.sendDiagnostics({ uri: st.uri, version: an === st.analysis ? an.version : undefined, diagnostics });
  };

  // ---------------------------------------------------------------- lifecycle

  const applySettings = (o: Partial<Settings> | undefined): void => {
    if (!o) return;
    if (Array.isArray(o.includePaths)) settings.includePaths = o.includePaths.filter((p) => typeof p === 'string');
    if (o.defines && typeof o.defines === 'object') settings.defines = { ...o.defines };
    if (typeof o.debounceMs === 'number' && o.debounceMs >= 0) settings.debounceMs = o.debounceMs;
  };

  connection.onInitialize((params): InitializeResult => {
    applySettings(params.initializationOptions as Partial<Settings> | undefined);
    refreshTokens = params.capabilities.workspace?.semanticTokens?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { resolveProvider: true, triggerCharacters: ['.'] },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
      },
      serverInfo: { name: 'armvirt-asm', version: '0.1.0' },
    };
  });

  connection.onDidChangeConfiguration((p) => {
    applySettings((p.settings as { armvirt?: { asm?: Partial<Settings> } } | undefined)?.armvirt?.asm);
    for (const uri of states.keys()) schedule(uri, 0);
  });

  connection.onDidChangeWatchedFiles((p) => {
    const changed = new Set(p.changes.map((c) => uriToFile(c.uri)));
    for (const st of states.values()) {
      if (st.analysis && [...changed].some((f) => st.analysis!.files.has(f))) schedule(st.uri, 0);
    }
  });

  // TextDocuments reports an open as a content change too: the first analysis starts at once.
  documents.onDidChangeContent((e) => {
    const st = state(e.document.uri);
    schedule(st.uri, st.analysis ? settings.debounceMs : 0);
    // Open documents that include this one see its unsaved text: re-analyse them too.
    for (const o of states.values()) if (o !== st && o.analysis?.files.has(st.file)) schedule(o.uri);
  });
  documents.onDidClose((e) => {
    const st = states.get(e.document.uri);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    states.delete(e.document.uri);
    dirty.delete(e.document.uri);
    for (const w of st.waiters.splice(0)) w();
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    for (const o of states.values()) if (o.analysis?.files.has(st.file)) schedule(o.uri);
  });
  connection.onShutdown(() => analyzer.dispose());

  // ---------------------------------------------------------------- requests

  const lineOf = (doc: TextDocument, line: number): string => {
    const t = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
    return t.replace(/\r?\n$/, '');
  };
  const toLocation = (s: FileSpan): Location => ({
    uri: fileToUri(s.file),
    range: { start: { line: s.line, character: s.start }, end: { line: s.line, character: s.end } },
  });

  connection.onHover(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const w = wordAt(lineOf(doc, p.position.line), p.position.line, p.position.character);
    if (!w) return null;
    const st = await latest(doc.uri);
    if (!st) return null;
    const md = hoverMarkdown(w, analysesFor(st), st.file);
    if (!md) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: md },
      range: { start: { line: w.line, character: w.start }, end: { line: w.line, character: w.end } },
    };
  });

  connection.onCompletion(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const st = await latest(doc.uri);
    const ans = st ? analysesFor(st) : [];
    const list = complete(lineOf(doc, p.position.line), p.position.character, ans);
    if (ans.length > 1) {
      const seen = new Set<string>();
      list.items = list.items.filter((i) => !seen.has(i.label) && (seen.add(i.label), true));
    }
    return list;
  });
  connection.onCompletionResolve((item) => resolveItem(item));

  connection.onDefinition(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const w = wordAt(lineOf(doc, p.position.line), p.position.line, p.position.character);
    const st = w && (await fresh(doc.uri));
    if (!w || !st) return null;
    return definition(w, analysesFor(st), st.file).map(toLocation);
  });

  connection.onReferences(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const w = wordAt(lineOf(doc, p.position.line), p.position.line, p.position.character);
    const st = w && (await fresh(doc.uri));
    if (!w || !st) return null;
    return references(w, analysesFor(st), st.file, p.context.includeDeclaration).map(toLocation);
  });

  connection.onDocumentSymbol(async (p) => {
    const st = await fresh(p.textDocument.uri);
    const fi = st?.analysis?.files.get(st.file);
    if (!st || !fi) return [];
    return documentSymbols(fi, st.analysis);
  });

  connection.languages.semanticTokens.on(async (p) => {
    const builder = new SemanticTokensBuilder();
    const st = await latest(p.textDocument.uri);
    if (!st) return builder.build();
    const ans = analysesFor(st);
    const fi = ans.map((a) => a.files.get(st.file)).find((f) => f !== undefined);
    if (!fi) return builder.build();
    const isMacro = (n: string) => ans.some((a) => a.macros.has(n.toLowerCase()));
    const defOf = (n: string) => ans.map((a) => a.defs.get(n)?.[0]).find((d) => d !== undefined);
    const toks: [number, number, number, number, number][] = [];
    for (const d of fi.defs) {
      if (d.kind === 'macro') toks.push([d.line, d.start, d.end - d.start, TT_MACRO, TM_DECLARATION]);
      else if (d.kind === 'label') toks.push([d.line, d.start, d.end - d.start, TT_FUNCTION, TM_DECLARATION]);
      else if (d.kind === 'constant') toks.push([d.line, d.start, d.end - d.start, TT_VARIABLE, TM_DECLARATION | TM_READONLY]);
    }
    for (const r of fi.refs) {
      const len = r.end - r.start;
      if (r.head) {
        if (isMacro(r.name)) toks.push([r.line, r.start, len, TT_MACRO, 0]);
        continue;
      }
      const d = defOf(r.name);
      if (d) toks.push([r.line, r.start, len, d.kind === 'label' ? TT_FUNCTION : TT_VARIABLE, d.kind === 'label' ? 0 : TM_READONLY]);
      else if (isSysregName(r.name)) toks.push([r.line, r.start, len, TT_VARIABLE, TM_DEFAULT_LIBRARY]);
    }
    toks.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const t of toks) builder.push(t[0], t[1], t[2], t[3], t[4]);
    return builder.build();
  });

  /** For tests and the status bar: what the last analysis of a document looked at. */
  connection.onRequest('armvirt/analysisInfo', async (p: { uri: string }) => {
    const st = await fresh(p.uri);
    const an = st?.analysis;
    if (!an) return null;
    return { version: an.version, files: [...an.files.keys()], timing: an.timing, threaded: analyzer.threaded, diagnostics: an.diagnostics.length };
  });

  documents.listen(connection);
  connection.listen();
}

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === WORKER_ROLE) runWorker();
else if (require.main === module) startServer();
