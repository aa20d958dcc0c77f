import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { budgetAxis } from '../ui/budget-axis.js';
import { useContractQuery } from '../api/use-bridge.js';
import { ExportButton } from '../ui/csv.js';
import { QueryState, int, money } from '../ui/state.js';

const PALETTE = ['#2f6fde', '#6b5bd2', '#1f7a3a', '#d9822b', '#b42318', '#5b6475'];

export function CostsPage() {
  const costs = useContractQuery('costs.summary', { days: 30 });
  const c = costs.data;
  const models = c ? [...new Set(c.days.flatMap((d) => Object.keys(d.by_model)))].sort() : [];
  const rows = c?.days.map((d) => ({ day: d.day.slice(5), ...d.by_model, captcha: d.captcha_usd })) ?? [];
  const share = c && c.month.budget_usd > 0 ? c.month.total_usd / c.month.budget_usd : 0;
  return (
    <>
      <h1>Costs</h1>
      <QueryState query={costs}>
        {c && (
          <>
            <ul className="card-row" aria-label="This month">
              <li className="card" data-testid="month-total">
                <span className="card-value">{money(c.month.total_usd)}</span>
                <span className="card-label">spent in {c.month.month} of {money(c.month.budget_usd)} ({Math.round(share * 100)}%)</span>
                <meter min={0} max={c.month.budget_usd || 1} value={c.month.total_usd} high={c.month.budget_usd * 0.8} aria-label="Share of the monthly budget" />
              </li>
              <li className="card"><span className="card-value">{money(c.month.llm_usd)}</span><span className="card-label">LLM this month</span></li>
              <li className="card"><span className="card-value">{money(c.month.captcha_usd)}</span><span className="card-label">CAPTCHA solves</span></li>
              <li className="card"><span className="card-value">{money(c.fixed.proxies_usd)}</span><span className="card-label">proxies (fixed)</span></li>
              <li className="card"><span className="card-value">{money(c.fixed.database_usd)}</span><span className="card-label">database (fixed)</span></li>
              <li className="card"><span className="card-value">{money(c.today.llm_usd)}</span><span className="card-label">LLM today of {money(c.today.daily_budget_usd)}</span></li>
            </ul>
            <figure className="chart" aria-label="Spend a day by service">
              <figcaption>Spend a day by service (LLM by model, CAPTCHA), with the daily LLM budget</figcaption>
              <ResponsiveContainer width="100%" height={240}>
                <BarChart data={rows}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="day" />
                  <YAxis {...budgetAxis(c.today.daily_budget_usd)} />
                  <Tooltip formatter={(v) => money(Number(v))} />
                  <Legend />
                  {models.map((m, i) => <Bar key={m} dataKey={m} stackId="spend" fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />)}
                  <Bar dataKey="captcha" stackId="spend" fill="#5b6475" isAnimationActive={false} />
                  <ReferenceLine y={c.today.daily_budget_usd} ifOverflow="extendDomain" stroke="#b42318" strokeDasharray="4 4" label="LLM budget" />
                </BarChart>
              </ResponsiveContainer>
            </figure>
            <h2>By model this month</h2>
            <table aria-label="Cost by model">
              <thead><tr><th>Model</th><th>Calls</th><th>Cost</th></tr></thead>
              <tbody>
                {c.models.length === 0 && <tr><td colSpan={3} className="muted">No model calls this month (the rules provider costs nothing).</td></tr>}
                {c.models.map((m) => <tr key={m.model}><td>{m.model}</td><td>{int(m.calls)}</td><td>{money(m.cost_usd)}</td></tr>)}
              </tbody>
            </table>
            <h2>By day</h2>
            <ExportButton name="costs.csv" rows={() => c.days.map((d) => ({ day: d.day, llm_usd: d.llm_usd, captcha_usd: d.captcha_usd, ...d.by_model }))} />
          </>
        )}
      </QueryState>
    </>
  );
}
