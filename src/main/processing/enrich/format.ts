/** How figures are written in prose, so the rules provider, the prompt and the validator agree. */
export const usd = (n: number): string => `$${Math.round(n).toLocaleString('en-US')}`;
export const sqft = (n: number): string => `${Math.round(n).toLocaleString('en-US')} sq ft`;
export const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;
