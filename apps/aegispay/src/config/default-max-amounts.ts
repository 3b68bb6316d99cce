import { listCurrencies } from '@aegispay/domain';

/*
 * THE DEFAULT MAXIMUM AMOUNT OF A PAYMENT, per currency: a ceiling against absurd amounts (an
 * integer overflow, a misplaced decimal point, an amount in the wrong currency), not a fraud limit
 * — set yours with AEGISPAY_MAX_AMOUNTS. Without exchange rates one number cannot mean the same in
 * every currency, so each currency gets 10^(6 + tier) of its major units, the tier being about the
 * number of digits of one US dollar in it (order of magnitude, not a rate): every ceiling lies
 * between about one and ten million US dollars' worth. Currencies not listed are tier 1
 * (1 to 10 units to the dollar: AUD, BRL, CAD, CNY, PLN, SGD…).
 */
const TIERS: Readonly<Record<number, string>> = {
  0: 'USD EUR GBP CHF CHE CHW KWD BHD OMR JOD KYD GIP FKP SHP PAB BSD BMD USN CLF',
  2: 'AFN ALL BTN BWP COU CUP CZK DOP EGP ERN GHS GMD HNL INR KGS LSL MDL MKD MRU MUR MVR MXN MZN NAD NIO NOK PHP RUB SCR SEK SLE SRD STN SZL THB TJS TRY TWD UAH UYU ZAR ZMW ZWG',
  3: 'AMD AOA BDT CLP CRC CVE DJF DZD ETB GYD HTG HUF ISK JMD JPY KES KMF KPW KZT LKR LRD NPR PKR RSD SDG SOS VED VES VUV XAF XOF XPF YER',
  4: 'ARS BIF CDF COP GNF IQD KHR KRW MGA MMK MNT MWK NGN PYG RWF SSP TZS UGX',
  5: 'IDR LAK LBP SYP UZS VND',
  6: 'IRR',
};

const TIER_OF: ReadonlyMap<string, number> = new Map(Object.entries(TIERS).flatMap(([tier, codes]) => codes.split(' ').map((code) => [code, Number(tier)] as const)));

/** The currency codes the tiers name (each must be an ISO 4217 currency AegisPay accepts; a test checks). */
export const TIERED_CURRENCIES: readonly string[] = [...TIER_OF.keys()];

/**
 * The default maximum amount of every currency AegisPay accepts, in its minor units: 1 000 000.00
 * EUR or USD, 1 000 000 000 JPY, 1 000 000 000 000.00 IDR…
 */
export const DEFAULT_MAX_AMOUNTS: ReadonlyMap<string, number> = new Map(
  listCurrencies().map((currency) => [currency.code, 10 ** (6 + (TIER_OF.get(currency.code) ?? 1) + currency.exponent)]),
);
