const SECRET_PATTERN = /\b(sk|rk|whsec)_(live_|test_)?(?!live_|test_)[A-Za-z0-9]{4,}/g;

/**
 * `text` with anything shaped like a Stripe secret key (`sk_…`, `rk_…`) or webhook signing secret
 * (`whsec_…`) replaced by its prefix and `…`. Stripe masks keys in its own messages; this makes sure
 * none reaches an AegisPay error, a log or a result even if an answer quotes one.
 */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_PATTERN, (_match, kind: string, mode: string | undefined) => `${kind}_${mode ?? ''}…`);
}
