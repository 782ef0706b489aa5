/** Every command's help lists its options and examples; mistyped commands and options get a suggestion. */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { processIO, type CommandIO } from './io.js';
import { buildProgram, main } from './program.js';

function captured(): { io: CommandIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CommandIO = { ...processIO(), out: (t) => void (out += t), err: (t) => void (err += t) };
  return { io, out: () => out, err: () => err };
}

function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

const paths = commandPaths(buildProgram(captured().io, () => {}));

describe('help', () => {
  it('covers every command', () => expect(paths.length).toBeGreaterThan(15));

  it.each(paths.map((p) => [p.join(' ')]))('vet %s --help lists options, global options and examples', async (p) => {
    const c = captured();
    expect(await main([...p.split(' '), '--help'], c.io)).toBe(0);
    const help = c.out();
    expect(help).toContain(`Usage: vet ${p}`);
    expect(help).toMatch(/\nOptions:\n/);
    expect(help).toMatch(/\nGlobal Options:\n[^]*--locked[^]*--output-format/);
    expect(help).toMatch(new RegExp(`\\nExamples:\\n  \\$ vet ${p}`));
  });

  it.each([['vet'], ...paths.map((p) => [p.join(' ')])])(
    '%s --help ends with 2 or 3 examples that use only its real options',
    async (p) => {
      const c = captured();
      const words = p === 'vet' ? [] : p.split(' ');
      expect(await main([...words, '--help'], c.io)).toBe(0);
      const tail = c.out().split('\nExamples:\n')[1] ?? '';
      const examples = tail.trimEnd().split('\n');
      expect(examples.length).toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(3);
      const program = buildProgram(captured().io, () => {});
      let cmd: Command = program;
      for (const w of words) cmd = cmd.commands.find((x) => x.name() === w)!;
      const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
      const known = new Set([program, ...all(cmd)].flatMap((x) => x.options.map((o) => o.long)));
      for (const e of examples) {
        expect(e).toMatch(/^ {2}\$ vet /);
        // Each word of the command path appears in order, after any global options.
        expect(e).toMatch(new RegExp(`\\$ vet (--\\S+ \\S+ )*${words.join(' ')}`));
        for (const flag of e.match(/ --[a-z-]+/g) ?? []) expect(known, `${e}: ${flag}`).toContain(flag.trim());
      }
    },
  );
});

describe('mistakes get a suggestion', () => {
  it.each([
    [['chek'], "unknown command 'chek'", 'Did you mean check?'],
    [['--locked', 'sugest'], "unknown command 'sugest'", 'Did you mean suggest?'],
    [['--lokced'], "unknown option '--lokced'", 'Did you mean --locked?'],
    [['certify', 'x', '1', '--acept-all'], "unknown option '--acept-all'", 'Did you mean --accept-all?'],
  ])('vet %j', async (argv, what, suggestion) => {
    const c = captured();
    expect(await main(argv, c.io)).toBe(2);
    expect(c.err()).toContain(`error: ${what}`);
    expect(c.err()).toContain(suggestion);
    expect(c.err()).not.toContain('too many arguments');
  });
});
