/**
 * The `kept` command line. Every bad input gets one line on stderr and exit code 2. Each command's
 * module is loaded when it is asked for, so `kept due` does not load Bolt or the AWS SDK.
 */
import { ConfigError } from '../../functions/config';
import { type CliIO, EXIT } from './io';

const USAGE = [
  'usage: kept <command> [options]',
  '  kept due --calendar FILE.yaml --start ISO --duration 4h [--pause ISO/ISO ...]   when a target falls due',
  '  kept import FILE.yaml [--dry-run]   load departments, agreements, digest settings, tips and customer metrics (agreements as code)',
  '  kept scan [--now ISO]      run the breach scan once',
  '  kept digest [--now ISO]    run the weekly digest once',
  '  kept erase --user U0123ABCD   remove what one person wrote; counts and the ledger stay',
  "  kept report --dept ID [--side provider|customer] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format table|json|csv]   a department's report, as provider or customer (default: this month to date)",
  '  kept report --company [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format table|json|csv]   every agreement, worst compliance first',
  '  kept statement --dept ID --month YYYY-MM [--format text|json]   the monthly penalty statements of what a department provides and receives',
  "  kept metrics push --dept ID --metric NAME --week YYYY-Www --value N | kept metrics import FILE.csv   front-line departments' weekly customer figures",
  '  kept audit [--since YYYY-MM-DD] [--dept ID] [--format table|json|csv]   who changed departments, agreements, settings and penalties',
];

export async function kept(argv: string[], io: CliIO): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'due':
        return await (await import('./due')).due(args, io);
      case 'import':
        return await (await import('./import')).importFile(args, io);
      case 'report':
        return await (await import('./report')).report(args, io);
      case 'statement':
        return await (await import('./statement')).statement(args, io);
      case 'erase':
        return await (await import('./erase')).erase(args, io);
      case 'metrics':
        return await (await import('./metrics')).metrics(args, io);
      case 'audit':
        return await (await import('./audit')).audit(args, io);
      case 'scan':
      case 'digest':
        return await (await import('./jobs')).job(command, args, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        for (const l of USAGE) io.out(l);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        io.err(`kept: unknown command "${command}"; try \`kept help\``);
        return EXIT.usage;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(err.message);
      return EXIT.usage;
    }
    io.err(`kept ${command}: ${(err as Error).message}`);
    return EXIT.failed;
  }
}
