// Money as the server computes it (docs/api.md, Totals and rounding): exact decimals in
// hundredths, rounded half away from zero. The price modal shows the margin as you type
// with these, so it never disagrees with what the server will store.

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Parses a decimal string into a BigInt of 10^-scale units, or null when not a decimal. */
function units(text, scale) {
  const t = String(text).trim();
  if (!DECIMAL.test(t)) return null;
  const negative = t.startsWith("-");
  const [whole, fraction = ""] = t.replace("-", "").split(".");
  const digits = (fraction + "0".repeat(scale)).slice(0, scale);
  let value = BigInt(whole) * 10n ** BigInt(scale) + BigInt(digits || "0");
  const rest = fraction.slice(scale);
  if (rest && rest[0] >= "5") value += 1n; // half away from zero on the magnitude
  return negative ? -value : value;
}

/** Divides rounding half away from zero. */
function divRound(numerator, denominator) {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return negative ? -q : q;
}

/** Formats hundredths as "1234.50". */
function formatCents(cents) {
  const negative = cents < 0n;
  const c = negative ? -cents : cents;
  const text = `${c / 100n}.${String(c % 100n).padStart(2, "0")}`;
  return negative ? "-" + text : text;
}

/** Whether `text` is a decimal the server reads (`-?digits[.digits]`). */
export function isDecimal(text) {
  return DECIMAL.test(String(text).trim());
}

/** Rounds a decimal string to cents: "10.005" → "10.01". Null when not a decimal. */
export function roundMoney(text) {
  const cents = units(text, 2);
  return cents === null ? null : formatCents(cents);
}

/**
 * A line's totals as the server computes them: net = round(unit price × quantity),
 * purchase = round(purchase price × quantity), margin = net − purchase, margin % =
 * round(margin / net × 100) or null when net is zero. Null when an input is not a decimal.
 */
export function lineTotals(unitPrice, purchasePrice, quantity) {
  const scale = 6;
  const price = units(unitPrice, scale);
  const purchase = units(purchasePrice, scale);
  const qty = units(quantity, scale);
  if (price === null || purchase === null || qty === null) return null;
  const toCents = (v) => divRound(v * qty, 10n ** BigInt(2 * scale - 2));
  const net = toCents(price);
  const purchaseTotal = toCents(purchase);
  const margin = net - purchaseTotal;
  const marginPercent = net === 0n ? null : formatCents(divRound(margin * 10000n, net));
  return {
    netTotal: formatCents(net),
    purchaseTotal: formatCents(purchaseTotal),
    margin: formatCents(margin),
    marginPercent,
  };
}
