/**
 * bin/run.cjs builds a TypeScript entry once and runs that build until one of its sources changes
 * (the `kept` command and `npm start` go through it). Tried in a folder of its own: a tiny entry
 * importing a second file, with the project's node_modules linked beside it only when a build
 * needs esbuild, so a run that reuses the build is seen not to need it at all.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
let dir: string;

// From another folder than the project's, as `npx kept` may be run from anywhere.
const run = () =>
  execFileSync(process.execPath, [path.join(dir, 'bin', 'run.cjs'), 'bin/hello.ts', 'Ada'], {
    cwd: path.dirname(dir),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
const withEsbuild = () => symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
const withoutEsbuild = () => rmSync(path.join(dir, 'node_modules'), { force: true });
const writeGreeting = (word: string) =>
  writeFileSync(path.join(dir, 'bin', 'greeting.ts'), `export const greeting: string = '${word}';\n`);

beforeEach(() => {
  // Nested, so the project is not as deep as the folder jest runs in (a path relative to the wrong one would miss).
  dir = path.join(mkdtempSync(path.join(tmpdir(), 'kept-run-')), 'deep', 'er', 'project');
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  copyFileSync(path.join(ROOT, 'bin', 'run.cjs'), path.join(dir, 'bin', 'run.cjs'));
  writeFileSync(
    path.join(dir, 'bin', 'hello.ts'),
    "import { greeting } from './greeting';\nconsole.log(`${greeting}, ${process.argv[2]}`);\n",
  );
  writeGreeting('Hello');
});
afterEach(() => rmSync(path.join(dir, '..', '..', '..'), { recursive: true, force: true }));

it('builds on first use and then runs the build without loading esbuild', () => {
  withEsbuild();
  expect(run()).toBe('Hello, Ada');
  withoutEsbuild();
  expect(run()).toBe('Hello, Ada');
  expect(run()).toBe('Hello, Ada');
});

it('builds again when a file the entry imports changes, and only then', () => {
  withEsbuild();
  expect(run()).toBe('Hello, Ada');
  writeGreeting('Welcome');
  expect(run()).toBe('Welcome, Ada');
  withoutEsbuild();
  expect(run()).toBe('Welcome, Ada');
});

it('builds again when a file keeps its size but is saved again', () => {
  withEsbuild();
  expect(run()).toBe('Hello, Ada');
  writeGreeting('Howdy');
  // Same length as "Hello": only the modification time tells.
  const later = new Date(Date.now() + 60_000);
  utimesSync(path.join(dir, 'bin', 'greeting.ts'), later, later);
  expect(run()).toBe('Howdy, Ada');
});

it('a build left half-written is never run: it is built again', () => {
  withEsbuild();
  expect(run()).toBe('Hello, Ada');
  rmSync(path.join(dir, 'build', 'run', 'bin', 'hello.cjs.inputs.json'));
  writeFileSync(path.join(dir, 'build', 'run', 'bin', 'hello.cjs'), 'throw new Error("half a file")');
  expect(run()).toBe('Hello, Ada');
});

it('npm install links the kept command into node_modules/.bin and builds it', () => {
  // A node_modules of its own holding only esbuild, so the link is made here and nowhere else.
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(path.join(ROOT, 'node_modules', 'esbuild'), path.join(dir, 'node_modules', 'esbuild'), 'dir');
  copyFileSync(path.join(ROOT, 'bin', 'install-cli.cjs'), path.join(dir, 'bin', 'install-cli.cjs'));
  copyFileSync(path.join(ROOT, 'bin', 'kept.cjs'), path.join(dir, 'bin', 'kept.cjs'));
  writeFileSync(path.join(dir, 'bin', 'kept.ts'), "import { greeting } from './greeting';\nconsole.log(greeting);\n");
  execFileSync(process.execPath, [path.join(dir, 'bin', 'install-cli.cjs')]);
  rmSync(path.join(dir, 'node_modules', 'esbuild'));
  const out = execFileSync(path.join(dir, 'node_modules', '.bin', 'kept'), { encoding: 'utf8' });
  expect(out.trim()).toBe('Hello');
});
