import { describe, expect, it } from 'vitest';
import { evaluateMarker, parseMarker } from './markers.js';

describe('PEP 508 markers', () => {
  const sets = { dependency_groups: new Set(['default']) };
  it.each([
    ["'dev' in dependency_groups", false],
    ["'default' in dependency_groups", true],
    ["'dev' not in dependency_groups", true],
    ["('dev' in dependency_groups) and (python_version >= '3.10')", false],
    ["python_version >= '3.10' or 'dev' in dependency_groups", 'unknown'],
    ["python_version >= '3.10' and 'default' in dependency_groups", 'unknown'],
    ["'x' in extras", 'unknown'],
    ['sys_platform == "win32" or \'default\' in dependency_groups', true],
  ] as const)('%s → %s', (m, want) => {
    expect(evaluateMarker(m, sets)).toBe(want);
  });

  it.each([
    ["sys_platform == 'linux'", true],
    ["'linux' == sys_platform", true],
    ["sys_platform != 'linux'", false],
    ["sys_platform == 'win32'", false],
    ["platform_machine in 'x86_64 aarch64'", true],
    ["platform_machine not in 'x86_64 aarch64'", false],
    ["sys_platform == 'win32' and python_version < '3.11'", false],
    ["sys_platform == 'linux' and python_version < '3.11'", 'unknown'],
    ["sys_platform == 'win32' or python_version < '3.11'", 'unknown'],
    ["platform_release >= '5'", 'unknown'],
    ["implementation_name == 'cpython'", 'unknown'],
    // Two literals are not a platform question: unknown, as before variables were bound.
    ["'a' == 'b'", 'unknown'],
  ] as const)('with linux-x64 bound: %s → %s', (m, want) => {
    const env = new Map([
      ['sys_platform', 'linux'],
      ['platform_system', 'Linux'],
      ['os_name', 'posix'],
      ['platform_machine', 'x86_64'],
    ]);
    expect(evaluateMarker(m, { env })).toBe(want);
  });

  it('rejects malformed markers with a reason', () => {
    for (const bad of ['python_version >=', "(os_name == 'nt'", "os_name 'nt'", "python_version ~~ '3'", '']) {
      const p = parseMarker(bad);
      expect(p.ok, bad).toBe(false);
    }
    expect(parseMarker("python_version not  in '3.0, 3.1' and implementation_name == 'cpython'").ok).toBe(true);
  });
});
