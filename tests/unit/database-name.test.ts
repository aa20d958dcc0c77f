import { describe, expect, it } from 'vitest';
import { databaseNameOf } from '../../src/main/db/connection.js';

describe('the database named by MONGODB_URI', () => {
  it('is read from the path, %-decoded, with the default when there is none', () => {
    expect(databaseNameOf('mongodb://127.0.0.1:27017/phoenix%5Ftest?retryWrites=false')).toBe('phoenix_test');
    expect(databaseNameOf('mongodb://127.0.0.1:27017')).toBe('phoenix_real_estate');
  });

  it('is refused with a message naming MONGODB_URI when its %-encoding is malformed', () => {
    expect(() => databaseNameOf('mongodb://127.0.0.1:27017/phoenix%E0%A4%A')).toThrow('MONGODB_URI: the database name "phoenix%E0%A4%A" has malformed %-encoding');
  });
});
