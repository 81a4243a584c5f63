// Entry point of dist/debugAdapter.js: speaks DAP on stdin/stdout when run with `node`.
// The VS Code extension can instead run ArmVirtDebugSession inline
// (DebugAdapterInlineImplementation); both use the same session class.
//
// Input goes through our own framing (dap-framing.ts) rather than the library's reader, which
// exits the process on a body that is not JSON and hangs on a bad Content-Length: whatever
// arrives, the adapter answers or reports it and keeps reading.
import { PassThrough } from 'node:stream';
import { ArmVirtDebugSession, errorText } from './session';
import { DapFrameReader, type Frame } from './dap-framing';

const session = new ArmVirtDebugSession();
// The library reads an input stream of its own; give it one that stays silent and feed it parsed messages.
session.start(new PassThrough(), process.stdout);

/** Input idle this long with a body still incomplete: check whether its Content-Length was too large. */
const STALE_BODY_MS = 300;

const reader = new DapFrameReader();
let staleTimer: NodeJS.Timeout | undefined;

function deliver(frames: Frame[]): void {
  for (const f of frames) {
    if (f.kind === 'error') {
      session.reportProtocolError(f.error, f.seq, f.command);
      continue;
    }
    try {
      session.handleMessage(f.message as never);
    } catch (e) {
      // Not expected (dispatch answers its own errors); never let one message end the session.
      session.reportProtocolError(errorText(String(f.message.command ?? 'message'), e));
    }
  }
}

process.stdin.on('data', (chunk: Buffer) => {
  if (staleTimer) clearTimeout(staleTimer);
  deliver(reader.push(chunk));
  staleTimer = reader.waitingForBody ? setTimeout(() => deliver(reader.stale()), STALE_BODY_MS) : undefined;
});
// The client went away: end as the library's reader would.
process.stdin.on('close', () => session.shutdown());
process.on('SIGTERM', () => session.shutdown());

// Last resort: an error escaping an asynchronous path (a timer, a promise) is logged for
// developers and reported to the client; the adapter keeps serving requests.
const report = (e: unknown): void => {
  try {
    session.reportProtocolError(errorText('adapter', e));
  } catch {
    // The client is gone (stdout closed): nothing left to tell; stdin's close ends the process.
  }
};
process.on('uncaughtException', report);
process.on('unhandledRejection', report);
