// `pnpm demo`: the command line around runDemo, the only module with side effects.
import { parseArguments } from './cli/arguments.js';
import { runDemo } from './cli/run-demo.js';
import { USAGE } from './cli/usage.js';

const parsed = parseArguments(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(USAGE);
} else if (parsed.kind === 'error') {
  process.stderr.write(`demo: ${parsed.message}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  const run = runDemo(parsed.arguments, { stdout: process.stdout, stderr: process.stderr });
  process.once('SIGINT', () => run.interrupt());
  const code = await run.exitCode;
  // Interrupted, a journey may still be waiting on a service that is gone: leave now that everything is closed.
  if (code === 130) process.exit(code);
  process.exitCode = code;
}
