import { z } from 'zod';

/**
 * What the model writes: prose only. Every figure it may mention is computed by code and given
 * to it; the validator checks the prose agrees.
 */
export const enrichmentOutputSchema = z.object({
  description: z.string().min(1).max(1500),
  key_features: z.array(z.string().min(1).max(120)).min(1).max(8),
  investment_summary: z.string().min(1).max(800),
});
export type EnrichmentOutput = z.infer<typeof enrichmentOutputSchema>;
