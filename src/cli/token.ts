import { tokenCommand } from 'src/cli/token-command.js';

process.exitCode = tokenCommand(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
