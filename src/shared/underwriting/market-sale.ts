/**
 * The least price a recorded sale must carry to be evidence of market value, in dollars. A
 * transfer "for $10 and other valuable consideration" (a gift, a quitclaim between relatives, a
 * deed into a trust) records a nominal price, not what the home would sell for: sales validation
 * for assessment ratio studies leaves such sales out (IAAO Standard on Ratio Studies, 2013,
 * §3.3 and Appendix A, "sales with nominal consideration"). $1,000 is our line: no home,
 * condominium or mobile home in Maricopa County sells on the market for less, while nominal
 * considerations are $1 to $100.
 */
export const MIN_MARKET_SALE_PRICE = 1_000;

/** True when `price` (dollars) can be a market sale's: at least MIN_MARKET_SALE_PRICE. */
export function isMarketSalePrice(price: number): boolean {
  return Number.isFinite(price) && price >= MIN_MARKET_SALE_PRICE;
}
