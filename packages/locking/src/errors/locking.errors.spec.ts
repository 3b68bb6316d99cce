import { AegisPayError } from '@aegispay/domain';
import { MaxRetriesExceededError } from './max-retries-exceeded.error';
import { StatusChangeNeedsDetailsError } from './status-change-needs-details.error';
import { UnexpectedStatusError } from './unexpected-status.error';
import { VersionConflictError } from './version-conflict.error';

describe('locking errors', () => {
  it.each([
    [new VersionConflictError('pay_1', 3), 'LOCKING.VERSION_CONFLICT', VersionConflictError],
    [new MaxRetriesExceededError('pay_1', 6, 9), 'LOCKING.MAX_RETRIES_EXCEEDED', MaxRetriesExceededError],
    [new UnexpectedStatusError('pay_1', 'PENDING', 'PAID'), 'LOCKING.UNEXPECTED_STATUS', UnexpectedStatusError],
    [new StatusChangeNeedsDetailsError('pay_1', 'PAID', 'markSucceeded(…)'), 'LOCKING.STATUS_NEEDS_DETAILS', StatusChangeNeedsDetailsError],
  ] as const)('should give %s a stable code, an is() guard and a JSON view', (error, code, type) => {
    expect(error.code).toBe(code);
    expect(AegisPayError.is(error)).toBe(true);
    expect(type.is(error)).toBe(true);
    expect(type.is(new Error(error.message))).toBe(false);
    expect(error.toJSON()).toMatchObject({ code, message: error.message });
  });

  describe(MaxRetriesExceededError, () => {
    it('should carry the attempts, the last version seen and the last conflict as cause', () => {
      const conflict = new VersionConflictError('pay_1', 9);

      const error = new MaxRetriesExceededError('pay_1', 6, 9, { cause: conflict });

      expect(error).toMatchObject({ entityId: 'pay_1', attempts: 6, lastVersionSeen: 9, details: { entityId: 'pay_1', attempts: 6, lastVersionSeen: 9 } });
      expect(error.cause).toBe(conflict);
      expect(error.message).toMatch(/6 attempts/);
    });
  });
});
