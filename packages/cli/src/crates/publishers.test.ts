import { describe, expect, it } from 'vitest';
import { cratePublisherRows } from './publishers.js';

describe('registry publisher rows', () => {
  it('user ids with login and name, trusted publishing as its identity, UTC dates, only versions asked for', () => {
    const rows = cratePublisherRows(
      ['1.0.0', '1.1.0', '9.9.9'],
      [
        {
          num: '1.0.0',
          createdAt: '2024-11-04T23:30:00-02:00',
          publishedBy: { id: 6743, login: 'epage', name: 'Ed Page' },
        },
        {
          num: '1.1.0',
          createdAt: '2025-01-02T03:04:05Z',
          publishedBy: { id: 1 },
          trustedPublisher: 'github:bytecodealliance/wasmtime',
        },
        { num: '2.0.0', createdAt: '2025-02-02T00:00:00Z', publishedBy: { id: 1 } },
      ],
    );
    expect(rows).toEqual([
      {
        version: '1.0.0',
        when: '2024-11-05',
        identity: { kind: 'user-id', userId: 6743 },
        userLogin: 'epage',
        userName: 'Ed Page',
      },
      {
        version: '1.1.0',
        when: '2025-01-02',
        identity: { kind: 'trusted-publisher', trustedPublisher: 'github:bytecodealliance/wasmtime' },
      },
    ]);
  });
});
