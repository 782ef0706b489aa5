/**
 * The CI formats of one report holding one failure of each kind (unvetted, violation, digest
 * mismatch, notary quorum, deprecated, unpinned), pinned by snapshot (STYLE §12), located
 * through a real package-lock text; and hostile names that try to break out of each format.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVERY_KIND_LOCK as LOCK, everyKind } from './__fixtures__/every-kind.js';
import { lockfileLineLocator } from '../lockfile/locate.js';
import { checkFindings, type Finding } from './findings.js';
import { escapeCommandData, escapeCommandProperty, formatCheckGithub, githubAnnotation } from './format-github.js';
import { formatCheckMarkdown, mdCode } from './format-markdown.js';
import { checkSarif, formatCheckSarif } from './format-sarif.js';
import { checkHeadline } from './format.js';

function findings(): Finding[] {
  return checkFindings(everyKind(), {
    lockfile: 'package-lock.json',
    locate: lockfileLineLocator(LOCK, 'package-lock v3'),
  });
}

describe('one failure of each kind', () => {
  it('findings: every kind, located on its package-lock line', () => {
    expect(findings().map((f) => [f.kind, f.level, f.name, f.location.line])).toEqual([
      ['violation', 'error', 'c', 15],
      ['unvetted', 'error', 'a', 8],
      ['unvetted', 'error', 'd', 18],
      ['digest-mismatch', 'error', 'd', 18],
      ['notary-quorum', 'error', 'b', 11],
      ['deprecated', 'warning', 'b', 11],
      ['unpinned', 'error', '', 3],
    ]);
  });

  it('github', () => {
    expect(formatCheckGithub(findings(), checkHeadline(everyKind()))).toMatchInlineSnapshot(`
      "::error file=package-lock.json,line=15,title=vet%3A c 3.0.0 violates a recorded violation::c:3.0.0: an exemption conflicts with a violation recorded by this project%0ATo fix: vet why c 3.0.0 — move off this version, or remove the conflicting audit or exemption from supply-chain/
      ::error file=package-lock.json,line=8,title=vet%3A a 1.0.0 is not vetted::a:1.0.0 is missing safe-to-deploy%0ATo fix: vet inspect a 1.0.0 && vet certify a 1.0.0 --criteria safe-to-deploy
      ::error file=package-lock.json,line=18,title=vet%3A d 4.0.0 is not vetted::d:4.0.0 is missing safe-to-deploy%0ATo fix: vet inspect d 4.0.0 && vet certify d 4.0.0 --criteria safe-to-deploy
      ::error file=package-lock.json,line=18,title=vet%3A d 4.0.0%3A the lockfile's bytes are not the ones notary 'acme' approved::notary 'acme' approved d:4.0.0 with digest sha512-4lrDhF+MvhKAGi36WonUxV3EeQDztu3Jqe5ZDzwrkxL2ZdADnJOCi3tY8zlQvIF6CVWpxQAKjT4oBWnwh0XKaA==, but the lockfile has sha512-vevjzIIhGVYeoF7V46h0w841BrnF1ws/Dep9U5LYINDjUGwSiAdsz4gw+QWQC6qmD9wqkPduD3BH4d7FW9dZDw==%0ATo fix: vet inspect d 4.0.0 — the approval is not used: reinstall the package from its registry and compare digests, or audit these bytes
      ::error file=package-lock.json,line=11,title=vet%3A b 2.0.0 lacks notary approvals::b:2.0.0 is approved by 0 of 1 notaries needed for safe-to-deploy%0ATo fix: vet check — without --locked, to refresh the notaries' approvals; else ask another notary of [vet.require-notaries] to approve it
      ::warning file=package-lock.json,line=11,title=vet%3A b 2.0.0 is deprecated or yanked::b:2.0.0: use c instead%0ATo fix: vet why b 2.0.0 — shows who depends on it: move to a version that is not deprecated
      ::error file=requirements.txt,line=3,title=vet%3A requirement is not locked::flask>=2 (not pinned with ==)%0ATo fix: pin it with == and --hash (pip-compile --generate-hashes, uv pip compile --generate-hashes)
      Violations Found!
      "
    `);
  });

  it('sarif', () => {
    expect(formatCheckSarif(findings(), { version: '0.1.0' })).toMatchInlineSnapshot(`
      "{
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
          {
            "tool": {
              "driver": {
                "name": "vet",
                "version": "0.1.0",
                "semanticVersion": "0.1.0",
                "rules": [
                  {
                    "id": "vet/violation",
                    "name": "Violation",
                    "shortDescription": {
                      "text": "An audit or exemption conflicts with a recorded violation"
                    },
                    "fullDescription": {
                      "text": "An audit or exemption conflicts with a recorded violation"
                    },
                    "help": {
                      "text": "Run \`vet why <package> <version>\` to see who depends on it; move off the violating version or remove the conflicting audit or exemption from supply-chain/.",
                      "markdown": "Run \`vet why <package> <version>\` to see who depends on it; move off the violating version or remove the conflicting audit or exemption from supply-chain/."
                    },
                    "defaultConfiguration": {
                      "level": "error"
                    }
                  },
                  {
                    "id": "vet/unvetted",
                    "name": "Unvetted",
                    "shortDescription": {
                      "text": "A third-party package version is not vetted for the criteria its policy requires"
                    },
                    "fullDescription": {
                      "text": "A third-party package version is not vetted for the criteria its policy requires"
                    },
                    "help": {
                      "text": "Audit it and record the audit: \`vet diff <package> <vetted-version> <version>\` then \`vet certify <package> <vetted-version> <version> --criteria <criteria>\`, or for a full audit \`vet inspect <package> <version>\` then \`vet certify <package> <version> --criteria <criteria>\`. The result message gives the exact command.",
                      "markdown": "Audit it and record the audit: \`vet diff <package> <vetted-version> <version>\` then \`vet certify <package> <vetted-version> <version> --criteria <criteria>\`, or for a full audit \`vet inspect <package> <version>\` then \`vet certify <package> <version> --criteria <criteria>\`. The result message gives the exact command."
                    },
                    "defaultConfiguration": {
                      "level": "error"
                    }
                  },
                  {
                    "id": "vet/digest-mismatch",
                    "name": "DigestMismatch",
                    "shortDescription": {
                      "text": "A notary approved other bytes than the lockfile's for this version"
                    },
                    "fullDescription": {
                      "text": "A notary approved other bytes than the lockfile's for this version"
                    },
                    "help": {
                      "text": "Reinstall the package from its registry and compare digests; the approval is not used. To vet the lockfile's bytes yourself: \`vet inspect <package> <version>\`.",
                      "markdown": "Reinstall the package from its registry and compare digests; the approval is not used. To vet the lockfile's bytes yourself: \`vet inspect <package> <version>\`."
                    },
                    "defaultConfiguration": {
                      "level": "error"
                    }
                  },
                  {
                    "id": "vet/notary-quorum",
                    "name": "NotaryQuorum",
                    "shortDescription": {
                      "text": "Fewer notaries approved this version than [vet.require-notaries] asks"
                    },
                    "fullDescription": {
                      "text": "Fewer notaries approved this version than [vet.require-notaries] asks"
                    },
                    "help": {
                      "text": "Run \`vet check\` without --locked to refresh the notaries' approvals, or ask another notary of [vet.require-notaries] to approve it.",
                      "markdown": "Run \`vet check\` without --locked to refresh the notaries' approvals, or ask another notary of [vet.require-notaries] to approve it."
                    },
                    "defaultConfiguration": {
                      "level": "error"
                    }
                  },
                  {
                    "id": "vet/deprecated",
                    "name": "Deprecated",
                    "shortDescription": {
                      "text": "The registry or the lockfile marks this version deprecated or yanked"
                    },
                    "fullDescription": {
                      "text": "The registry or the lockfile marks this version deprecated or yanked"
                    },
                    "help": {
                      "text": "Move to a version that is not deprecated; \`vet why <package> <version>\` shows who depends on it.",
                      "markdown": "Move to a version that is not deprecated; \`vet why <package> <version>\` shows who depends on it."
                    },
                    "defaultConfiguration": {
                      "level": "warning"
                    }
                  },
                  {
                    "id": "vet/unpinned",
                    "name": "Unpinned",
                    "shortDescription": {
                      "text": "A requirement is not locked (no == pin or no hash), so it cannot be vetted"
                    },
                    "fullDescription": {
                      "text": "A requirement is not locked (no == pin or no hash), so it cannot be vetted"
                    },
                    "help": {
                      "text": "Pin it with == and --hash (\`pip-compile --generate-hashes\`, \`uv pip compile --generate-hashes\`), or point --lockfile at the compiled file.",
                      "markdown": "Pin it with == and --hash (\`pip-compile --generate-hashes\`, \`uv pip compile --generate-hashes\`), or point --lockfile at the compiled file."
                    },
                    "defaultConfiguration": {
                      "level": "error"
                    }
                  }
                ]
              }
            },
            "columnKind": "utf16CodeUnits",
            "results": [
              {
                "ruleId": "vet/violation",
                "ruleIndex": 0,
                "level": "error",
                "message": {
                  "text": "c:3.0.0: an exemption conflicts with a violation recorded by this project. To fix: vet why c 3.0.0 — move off this version, or remove the conflicting audit or exemption from supply-chain/"
                },
                "locations": [
                  {
                    "physicalLocation": {
                      "artifactLocation": {
                        "uri": "package-lock.json",
                        "uriBaseId": "%SRCROOT%"
                      },
                      "region": {
                        "startLine": 15
                      }
                    }
                  }
                ],
                "partialFingerprints": {
                  "vetFinding/v1": "violation:c:3.0.0:package-lock.json:"
                }
              },
              {
                "ruleId": "vet/unvetted",
                "ruleIndex": 1,
                "level": "error",
                "message": {
                  "text": "a:1.0.0 is missing safe-to-deploy. To fix: vet inspect a 1.0.0 && vet certify a 1.0.0 --criteria safe-to-deploy"
                },
                "locations": [
                  {
                    "physicalLocation": {
                      "artifactLocation": {
                        "uri": "package-lock.json",
                        "uriBaseId": "%SRCROOT%"
                      },
                      "region": {
                        "startLine": 8
                      }
                    }
                  }
                ],
                "partialFingerprints": {
                  "vetFinding/v1": "unvetted:a:1.0.0:package-lock.json:"
                }
              },
              {
                "ruleId": "vet/unvetted",
                "ruleIndex": 1,
                "level": "error",
                "message": {
                  "text": "d:4.0.0 is missing safe-to-deploy. To fix: vet inspect d 4.0.0 && vet certify d 4.0.0 --criteria safe-to-deploy"
                },
                "locations": [
                  {
                    "physicalLocation": {
                      "artifactLocation": {
                        "uri": "package-lock.json",
                        "uriBaseId": "%SRCROOT%"
                      },
                      "region": {
                        "startLine": 18
                      }
                    }
                  }
                ],
                "partialFingerprints": {
                  "vetFinding/v1": "unvetted:d:4.0.0:package-lock.json:"
                }
              },
              {
                "ruleId": "vet/digest-mismatch",
                "ruleIndex": 2,
                "level": "error",
                "message": {
                  "text": "notary 'acme' approved d:4.0.0 with digest sha512-4lrDhF+MvhKAGi36WonUxV3EeQDztu3Jqe5ZDzwrkxL2ZdADnJOCi3tY8zlQvIF6CVWpxQAKjT4oBWnwh0XKaA==, but the lockfile has sha512-vevjzIIhGVYeoF7V46h0w841BrnF1ws/Dep9U5LYINDjUGwSiAdsz4gw+QWQC6qmD9wqkPduD3BH4d7FW9dZDw==. To fix: vet inspect d 4.0.0 — the approval is not used: reinstall the package from its registry and compare digests, or audit these bytes"
                },
                "locations": [
                  {
                    "physicalLocation": {
                      "artifactLocation": {
                        "uri": "package-lock.json",
                        "uriBaseId": "%SRCROOT%"
                      },
                      "region": {
                        "startLine": 18
                      }
                    }
                  }
                ],
                "partialFingerprints": {
                  "vetFinding/v1": "digest-mismatch:d:4.0.0:package-lock.json:"
                }
              },
              {
                "ruleId": "vet/notary-quorum",
                "ruleIndex": 3,
                "level": "error",
                "message": {
                  "text": "b:2.0.0 is approved by 0 of 1 notaries needed for safe-to-deploy. To fix: vet check — without --locked, to refresh the notaries' approvals; else ask another notary of [vet.require-notaries] to approve it"
                },
                "locations": [
                  {
                    "physicalLocation": {
                      "artifactLocation": {
                        "uri": "package-lock.json",
                        "uriBaseId": "%SRCROOT%"
                      },
                      "region": {
                        "startLine": 11
                      }
                    }
                  }
                ],
                "partialFingerprints": {
                  "vetFinding/v1": "notary-quorum:b:2.0.0:package-lock.json:"
                }
              },
              {
                "ruleId": "vet/deprecated",
                "ruleIndex": 4,
                "level": "warning",
                "message": {
                  "text": "b:2.0.0: use c instead. To fix: vet why b 2.0.0 — shows who depends on it: move to a version that is not deprecated"
                },
                "locations": [
                  {
                    "physicalLocation": {
                      "artifactLocation": {
                        "uri": "package-lock.json",
                        "uriBaseId": "%SRCROOT%"
                      },
                      "region": {
                        "startLine": 11
                      }
                    }
                  }
                ],
                "partialFingerprints": {
                  "vetFinding/v1": "deprecated:b:2.0.0:package-lock.json:"
                }
              },
              {
                "ruleId": "vet/unpinned",
                "ruleIndex": 5,
                "level": "error",
                "message": {
                  "text": "flask>=2 (not pinned with ==). To fix: pin it with == and --hash (pip-compile --generate-hashes, uv pip compile --generate-hashes)"
                },
                "locations": [
                  {
                    "physicalLocation": {
                      "artifactLocation": {
                        "uri": "requirements.txt",
                        "uriBaseId": "%SRCROOT%"
                      },
                      "region": {
                        "startLine": 3
                      }
                    }
                  }
                ],
                "partialFingerprints": {
                  "vetFinding/v1": "unpinned:::requirements.txt:3"
                }
              }
            ]
          }
        ]
      }
      "
    `);
  });

  it('markdown', () => {
    expect(formatCheckMarkdown(findings(), checkHeadline(everyKind()), false)).toMatchInlineSnapshot(`
      "### ❌ vet: Violations Found!

      6 error(s), 1 warning(s)

      - **error** · violation · \`c\` \`3.0.0\` · \`package-lock.json\` line 15
        \`c:3.0.0: an exemption conflicts with a violation recorded by this project\`
        fix: \`vet why c 3.0.0\` — move off this version\\, or remove the conflicting audit or exemption from supply\\-chain\\/
      - **error** · unvetted · \`a\` \`1.0.0\` · \`package-lock.json\` line 8
        \`a:1.0.0 is missing safe-to-deploy\`
        fix: \`vet inspect a 1.0.0 && vet certify a 1.0.0 --criteria safe-to-deploy\`
      - **error** · unvetted · \`d\` \`4.0.0\` · \`package-lock.json\` line 18
        \`d:4.0.0 is missing safe-to-deploy\`
        fix: \`vet inspect d 4.0.0 && vet certify d 4.0.0 --criteria safe-to-deploy\`
      - **error** · digest-mismatch · \`d\` \`4.0.0\` · \`package-lock.json\` line 18
        \`notary 'acme' approved d:4.0.0 with digest sha512-4lrDhF+MvhKAGi36WonUxV3EeQDztu3Jqe5ZDzwrkxL2ZdADnJOCi3tY8zlQvIF6CVWpxQAKjT4oBWnwh0XKaA==, but the lockfile has sha512-vevjzIIhGVYeoF7V46h0w841BrnF1ws/Dep9U5LYINDjUGwSiAdsz4gw+QWQC6qmD9wqkPduD3BH4d7FW9dZDw==\`
        fix: \`vet inspect d 4.0.0\` — the approval is not used\\: reinstall the package from its registry and compare digests\\, or audit these bytes
      - **error** · notary-quorum · \`b\` \`2.0.0\` · \`package-lock.json\` line 11
        \`b:2.0.0 is approved by 0 of 1 notaries needed for safe-to-deploy\`
        fix: \`vet check\` — without \\-\\-locked\\, to refresh the notaries\\' approvals\\; else ask another notary of \\[vet\\.require\\-notaries\\] to approve it
      - **warning** · deprecated · \`b\` \`2.0.0\` · \`package-lock.json\` line 11
        \`b:2.0.0: use c instead\`
        fix: \`vet why b 2.0.0\` — shows who depends on it\\: move to a version that is not deprecated
      - **error** · unpinned · \`requirements.txt\` line 3
        \`flask>=2 (not pinned with ==)\`
        fix: pin it with \\=\\= and \\-\\-hash \\(pip\\-compile \\-\\-generate\\-hashes\\, uv pip compile \\-\\-generate\\-hashes\\)
      "
    `);
  });
});

describe('escaping (GitHub workflow commands, the Actions toolkit rules)', () => {
  it('data escapes %, CR, LF; properties also : and ,', () => {
    expect(escapeCommandData('100% a\r\nb')).toBe('100%25 a%0D%0Ab');
    expect(escapeCommandProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  const hostile = fc.string({ unit: 'binary', maxLength: 30 });
  it('a hostile name or message stays inside one command line and its properties (property)', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (name, message, file) => {
        const line = githubAnnotation({
          kind: 'unvetted',
          level: 'error',
          name,
          version: '1.0.0',
          title: `${name} 1.0.0 is not vetted`,
          message,
          fix: `vet certify ${name}`,
          location: { file, line: 3 },
        });
        expect(line).not.toMatch(/[\r\n]/);
        const m = /^::error ([^:]*)::(.*)$/.exec(line);
        expect(m).not.toBeNull();
        // Properties: exactly file, line, title; no raw , inside any of them.
        expect(m![1]!.split(',').map((p) => p.split('=')[0])).toEqual(['file', 'line', 'title']);
      }),
    );
  });
});

describe('escaping (Markdown)', () => {
  it('a code span holds any backtick run and shows controls as escapes', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('[x](https://evil.test)\n# h')).toBe('`[x](https://evil.test)\\n# h`');
  });

  it('no outside string escapes its code span: links, HTML, headings, mentions stay text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const span = mdCode(s);
        expect(span).not.toMatch(/[\r\n\u2028\u2029]/);
        const fence = /^`+/.exec(span)![0];
        // The closing fence is the first run of exactly that length after the opening one.
        const inner = span.slice(fence.length, -fence.length);
        expect([...inner.matchAll(/`+/g)].every((r) => r[0].length !== fence.length)).toBe(true);
        expect(span.endsWith(fence) && !span.endsWith('`' + fence)).toBe(true);
      }),
    );
  });
});

describe('SARIF shape', () => {
  it('one rule per kind; results refer to them by id and index', () => {
    const log = checkSarif(findings(), { version: '0.1.0' }) as {
      runs: [{ tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number }[] }];
    };
    const rules = log.runs[0].tool.driver.rules;
    for (const r of log.runs[0].results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });
});
