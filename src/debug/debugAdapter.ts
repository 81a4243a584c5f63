// Entry point of dist/debugAdapter.js: speaks DAP on stdin/stdout when run with `node`.
// The VS Code extension can instead run ArmVirtDebugSession inline
// (DebugAdapterInlineImplementation); both use the same session class.
import { DebugSession } from '@vscode/debugadapter';
import { ArmVirtDebugSession } from './session';

DebugSession.run(ArmVirtDebugSession);
