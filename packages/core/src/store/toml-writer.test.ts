import { describe, expect, it } from 'vitest';
import { TomlDoc, writeToml } from './toml-writer.js';

describe('writeToml layout (spec §9.2)', () => {
  it('hides headers of tables holding only tables, keeps empty tables, blank line before each header', () => {
    const doc = new TomlDoc();
    doc.table('audits').table('peer').table('audits');
    const policy = doc.table('policy');
    policy.table('a').set('notes', 'x');
    policy.table('b');
    expect(writeToml(doc, '\n# h\n')).toBe('\n# h\n\n[audits.peer.audits]\n\n[policy.a]\nnotes = "x"\n\n[policy.b]\n');
  });

  it('writes root keys first, then tables; array-of-tables elements get [[headers]]', () => {
    const doc = new TomlDoc().set('default-criteria', 'x');
    doc.table('cargo-vet').set('version', '0.10');
    doc
      .table('exemptions')
      .array('foo', [new TomlDoc().set('version', '1.0.0'), new TomlDoc().set('version', '2.0.0')]);
    expect(writeToml(doc, '')).toBe(
      'default-criteria = "x"\n\n[cargo-vet]\nversion = "0.10"\n\n[[exemptions.foo]]\nversion = "1.0.0"\n\n[[exemptions.foo]]\nversion = "2.0.0"\n',
    );
  });

  it('explodes an array only when `key = [...]` is longer than 80 characters', () => {
    // `who = ["<33 a>", "<33 b>"]` is 3 + 3 + (1 + 35 + 2 + 35 + 1) = 80 characters.
    const at80 = ['a'.repeat(33), 'b'.repeat(33)];
    const line = (list: string[]) => writeToml(new TomlDoc().set('who', list), '');
    const inline = line(at80).trimEnd();
    expect([...inline].length).toBe(80);
    expect(inline.includes('\n')).toBe(false);
    const exploded = line([...at80.slice(0, 1), 'b'.repeat(34)]);
    expect(exploded).toBe(`who = [\n    "${'a'.repeat(33)}",\n    "${'b'.repeat(34)}",\n]\n`);
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    const stars = '✨'.repeat(30);
    const emoji = '😀'.repeat(30);
    expect(writeToml(new TomlDoc().set('k', [stars, 'x'.repeat(35)]), '')).not.toContain('\n    ');
    expect(writeToml(new TomlDoc().set('k', [emoji, 'x'.repeat(35)]), '')).not.toContain('\n    ');
  });

  it('keeps dependency-criteria inline up to 120 characters, else a sub-table after the other keys', () => {
    const short = new TomlDoc();
    short
      .table('policy')
      .table('foo')
      .setInline('dependency-criteria', [
        ['bar', []],
        ['baz', ['safe-to-run']],
      ])
      .set('notes', 'n');
    expect(writeToml(short, '')).toBe(
      '\n[policy.foo]\ndependency-criteria = { bar = [], baz = "safe-to-run" }\nnotes = "n"\n',
    );
    const long = new TomlDoc();
    long
      .table('policy')
      .table('foo')
      .setInline('dependency-criteria', [
        ['a-dependency-with-a-long-name', ['criteria-one-very-long', 'criteria-two-very-long', 'criteria-three']],
      ])
      .set('notes', 'n');
    expect(writeToml(long, '')).toBe(
      '\n[policy.foo]\nnotes = "n"\n\n[policy.foo.dependency-criteria]\na-dependency-with-a-long-name = [\n    "criteria-one-very-long",\n    "criteria-two-very-long",\n    "criteria-three",\n]\n',
    );
  });

  it('appends comments to values', () => {
    expect(writeToml(new TomlDoc().set('user-id', 3618, 'David Tolnay (dtolnay)'), '')).toBe(
      'user-id = 3618 # David Tolnay (dtolnay)\n',
    );
  });
});
