// `armvirt`: the headless command line.
//   armvirt run PROGRAM [options]      run an ELF or assembly program; exit with its exit code
//   armvirt asm FILE.S -o FILE.elf     assemble to an ELF64 executable
//   armvirt experiments [options]      the paper's microbenchmarks under the example hypervisors
//   armvirt --help | --version         (every command also takes --help)
// This module only picks the command: each one (run.ts, asm.ts, experiments.ts) is imported when
// it is run, so `--version` loads no simulator and `run prog.elf` no assembler (scripts/build.mjs
// makes each a bundle of its own, loaded on demand).
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { ProgramError } from '../asm/program-image';
import { BootError } from '../sim/boot/errors';
import { USAGE_EXIT_CODE, UsageError, joinNegativeValues, wantsHelp, type OptionSpec } from './args';
import { HELP, MAIN_HELP } from './help';
import { enableCompileCache } from './compile-cache';

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    // Help first: `armvirt CMD --help` must work even where CMD's options would not parse,
    // and without loading the command's modules.
    if (cmd !== undefined && HELP[cmd] && wantsHelp(rest)) {
      process.stdout.write(HELP[cmd] + '\n');
      return 0;
    }
    switch (cmd) {
      case 'run': return await (await import('./run')).cmdRun(rest);
      case 'asm': return await (await import('./asm')).cmdAsm(rest);
      case 'experiments': {
        const spec: OptionSpec = { hyp: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' }, iterations: { type: 'string' }, bench: { type: 'string' }, html: { type: 'string' }, 'progress-json': { type: 'boolean' }, linux: { type: 'boolean' }, kernel: { type: 'string' } };
        // Values that look like negative numbers (--iterations -5) reach the range check, not the parser's "ambiguous".
        const { values } = parseArgs({ args: joinNegativeValues(rest, spec), allowPositionals: false, options: spec });
        return (await import('./experiments')).cmdExperiments(values);
      }
      case 'help':
        if (rest[0] !== undefined && HELP[rest[0]]) {
          process.stdout.write(HELP[rest[0]] + '\n');
          return 0;
        }
        if (rest[0] !== undefined) throw new UsageError(`no help for unknown command '${rest[0]}' (commands: run, asm, experiments)`);
        process.stdout.write(MAIN_HELP + '\n');
        return 0;
      case '-h': case '--help':
        process.stdout.write(MAIN_HELP + '\n');
        return 0;
      case '-V': case '--version':
        process.stdout.write(`armvirt ${version}\n`);
        return 0;
      case undefined:
        process.stderr.write(MAIN_HELP + '\n');
        return USAGE_EXIT_CODE;
      default:
        throw new UsageError(cmd.startsWith('-') ? `unknown option '${cmd}' (options come after the command)` : `unknown command '${cmd}' (commands: run, asm, experiments)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const usage = cmd !== undefined && HELP[cmd] ? `armvirt ${cmd} --help` : 'armvirt --help';
      process.stderr.write(`armvirt: ${e.message}\n${e.showUsage ? `(see ${usage})\n` : ''}`);
      return USAGE_EXIT_CODE;
    }
    const code = (e as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`armvirt: ${(e as Error).message.split('\n')[0]}\n(see armvirt ${cmd} --help)\n`);
      return USAGE_EXIT_CODE;
    }
    if (e instanceof ProgramError || e instanceof RangeError || e instanceof BootError) {
      process.stderr.write(`armvirt: ${(e as Error).message}\n`);
      return USAGE_EXIT_CODE;
    }
    throw e;
  }
}

if (require.main === module) {
  // V8's compiled code of the bundles a command loads is kept between runs (Node's own cache on
  // Node 22.1+, compile-cache.ts's on Node 20), which saves most of their compile time at the next start.
  // Not from a usage error, which compiled little of what the command runs.
  enableCompileCache(__dirname, process.env, (code) => code !== USAGE_EXIT_CODE);
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`armvirt: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
