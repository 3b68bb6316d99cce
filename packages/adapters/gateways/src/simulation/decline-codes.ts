import type { DeclineType } from '@aegispay/domain';

/** A decline code and how often a gateway answers with it, relative to its other declines. */
export interface DeclineMixEntry {
  /** The gateway's decline code, `snake_case` (`insufficient_funds`). */
  readonly code: string;
  /** `HARD`: final, retrying cannot succeed (stolen card). `SOFT`: may succeed later or elsewhere. */
  readonly declineType: DeclineType;
  /** Relative weight among the gateway's declines (≥ 0). */
  readonly weight: number;
  /** Human-readable explanation returned with the decline. */
  readonly message?: string;
}

/**
 * The decline codes the simulated gateways know, with their type and message: the common card
 * network reasons, named as the major acquirers name them.
 */
export const DECLINE_CODES = Object.freeze({
  // Hard: the card or account can never be charged; retrying anywhere is pointless (and suspicious).
  stolen_card: { declineType: 'HARD', message: 'The card was reported stolen.' },
  lost_card: { declineType: 'HARD', message: 'The card was reported lost.' },
  pickup_card: { declineType: 'HARD', message: 'The issuer asked to retain the card.' },
  invalid_account: { declineType: 'HARD', message: 'The card or account is invalid or closed.' },
  expired_card: { declineType: 'HARD', message: 'The card has expired.' },
  fraudulent: { declineType: 'HARD', message: 'The issuer suspects fraud.' },
  // Soft: a later attempt, or another route, may succeed.
  insufficient_funds: { declineType: 'SOFT', message: 'The account has insufficient funds.' },
  do_not_honor: { declineType: 'SOFT', message: 'The issuer declined without giving a reason.' },
  issuer_unavailable: { declineType: 'SOFT', message: 'The issuer could not be reached to authorise the payment.' },
  try_again_later: { declineType: 'SOFT', message: 'The issuer asked to try again later.' },
  card_velocity_exceeded: { declineType: 'SOFT', message: 'The card exceeded its spending or frequency limit.' },
} as const satisfies Record<string, { readonly declineType: DeclineType; readonly message: string }>);

/** A decline code of {@link DECLINE_CODES}. */
export type KnownDeclineCode = keyof typeof DECLINE_CODES;

/** True when `code` is one of {@link DECLINE_CODES}. */
export function isKnownDeclineCode(code: string): code is KnownDeclineCode {
  return Object.hasOwn(DECLINE_CODES, code);
}

/**
 * Default decline mix: about three declines in four are soft (mostly insufficient funds and
 * "do not honour"), one in four hard, the usual proportions of card-not-present traffic.
 */
export const DEFAULT_DECLINE_MIX: readonly DeclineMixEntry[] = Object.freeze(
  (
    [
      ['insufficient_funds', 35],
      ['do_not_honor', 25],
      ['try_again_later', 5],
      ['issuer_unavailable', 5],
      ['card_velocity_exceeded', 5],
      ['expired_card', 8],
      ['invalid_account', 4],
      ['fraudulent', 4],
      ['stolen_card', 3],
      ['lost_card', 3],
      ['pickup_card', 3],
    ] as const
  ).map(([code, weight]) => Object.freeze({ code, weight, ...DECLINE_CODES[code] })),
);

/**
 * Prefix of the test tokens that force a decline: a charge whose `paymentMethod.token` is
 * `tok_decline_<code>` with a code of {@link DECLINE_CODES} is declined with that code, whatever
 * the approval rate (like the magic test cards of real sandboxes). Other tokens are ordinary.
 */
export const DECLINE_TOKEN_PREFIX = 'tok_decline_';

/**
 * Prefix of the test tokens that force an approval: a charge whose `paymentMethod.token` starts
 * with `tok_approve` is approved whatever the approval rate, so a walkthrough or a test can count
 * on it. (Technical failures and outages still apply: they happen before the issuer is asked.)
 */
export const APPROVE_TOKEN_PREFIX = 'tok_approve';
