/**
 * mozilla/send (issue 10): a package-lock v1 whose git dependencies (`github:o/r#<commit>`) used
 * to be exempted under their spec, which `check --locked` then refused as "not a semver version".
 * Git dependencies are now stored as cargo-vet stores git crates, `0.0.0@git:<commit>`, so the
 * full `init → check --locked` loop passes. Uses ../shared/corpus (read, copied to a temp dir);
 * skips, saying why, when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SHARED, runVet, tempProject, type TempProject } from './helpers/project.js';

const SEND = path.join(SHARED, 'corpus', 'npm', 'mozilla__send');
const present = existsSync(path.join(SEND, 'package-lock.json'));
if (!present) console.warn(`corpus-send-git: skipped, ${SEND} not found (the shared corpus sits next to the repo)`);

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe.skipIf(!present)('mozilla/send: git dependencies in a package-lock v1', () => {
  it('init → check --locked passes; git dependencies are exempted at their commit', async () => {
    project = tempProject({
      'package.json': readFileSync(path.join(SEND, 'package.json'), 'utf8'),
      'package-lock.json': readFileSync(path.join(SEND, 'package-lock.json'), 'utf8'),
    });
    const init = await runVet(['init'], { cwd: project.dir });
    expect(init.code).toBe(0);
    const config = project.read('supply-chain/config.toml');
    expect(config).toContain(
      '[[exemptions.configstore]]\nversion = "0.0.0@git:45c19536db34e7005a50b435582692886322ab36"\n',
    );
    expect(config).toContain(
      '[[exemptions.webcrypto-core]]\nversion = "0.0.0@git:8e0152a66d3ae6329cf080ccb3085eb06637070f"\n',
    );
    expect(config).not.toMatch(/^version = "github:/m);
    const check = await runVet(['check', '--locked'], { cwd: project.dir });
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(/^Vetting Succeeded \(\d+ exempted\)/);
    expect(check.code).toBe(0);
  });
});
