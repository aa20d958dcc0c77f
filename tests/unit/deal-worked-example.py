"""Independent computation of the deal model's worked examples (tests/unit/deal-*.test.ts, tests/support/deal-examples.ts).

Run: python3 tests/unit/deal-worked-example.py (standard library only); its output is the
tests' expected figures. The loan is amortised month by month (balance × (1 + r) − payment, not the closed form the module uses); the IRR is
found by bisection in 60-digit decimals and checked by Newton's method; both as a spreadsheet's
IRR defines it (the first flow now, then one a year).
"""
from decimal import Decimal as D, getcontext

getcontext().prec = 60


def payment(principal, annual_rate, years):
    n = years * 12
    r = D(annual_rate) / 12
    if principal <= 0:
        return D(0)
    if r == 0:
        return D(principal) / n
    return D(principal) * r / (1 - (1 + r) ** -n)


def schedule(principal, annual_rate, years, months):
    """Balance after each month, paid month by month."""
    p = payment(principal, annual_rate, years)
    r = D(annual_rate) / 12
    b = D(principal)
    out = []
    for m in range(1, months + 1):
        if m <= years * 12:
            b = b * (1 + r) - p
        out.append(max(b, D(0)) if m < years * 12 else D(0))
    return p, out


def npv(rate, flows):
    return sum(D(c) / (1 + rate) ** t for t, c in enumerate(flows))


def irr(flows, guess='0.1'):
    lo, hi = D('-0.99'), D(10)
    flo = npv(lo, flows)
    assert (flo > 0) != (npv(hi, flows) > 0), 'no sign change'
    for _ in range(300):
        mid = (lo + hi) / 2
        f = npv(mid, flows)
        if (f > 0) == (flo > 0):
            lo, flo = mid, f
        else:
            hi = mid
    root = (lo + hi) / 2
    # Newton from the guess (10%, as a spreadsheet's IRR starts by default): the same root.
    x = D(guess)
    for _ in range(100):
        f = npv(x, flows)
        df = sum(-t * D(c) / (1 + x) ** (t + 1) for t, c in enumerate(flows))
        x -= f / df
    assert abs(x - root) < D('1e-20'), (x, root)
    return root


def rental(i):
    down = D(i['price']) * D(i['down'])
    loan = D(i['price']) - down
    points = loan * D(i['points'])
    invested = down + D(i['closing']) + points + D(i['rehab'])
    years = i['hold']
    p, bal = schedule(loan, i['rate'], i['term'], years * 12)
    start = D(i['arv'] or i['price'])
    rows, cum = [], D(0)
    for y in range(1, years + 1):
        gross = D(i['rent']) * 12 * (1 + D(i['rent_growth'])) ** (y - 1)
        egi = gross * (1 - D(i['vacancy']))
        g = (1 + D(i['expense_growth'])) ** (y - 1)
        fixed = (D(i['tax']) + D(i['insurance']) + (D(i['hoa']) + D(i['other'])) * 12) * g
        opex = fixed + gross * (D(i['maintenance']) + D(i['capex'])) + egi * D(i['management'])
        noi = egi - opex
        months = max(0, min(12, i['term'] * 12 - (y - 1) * 12))
        ds = p * months
        cf = noi - ds
        cum += cf
        b = bal[y * 12 - 1]
        value = start * (1 + D(i['appreciation'])) ** y
        proceeds = value * (1 - D(i['selling'])) - b
        rows.append(dict(year=y, gross=gross, opex=opex, noi=noi, ds=ds, cf=cf, balance=b, value=value, equity=value - b, cum=cum, proceeds=proceeds, total=cum + proceeds - invested))
    flows = [-invested] + [r['cf'] for r in rows]
    flows[-1] += rows[-1]['proceeds']
    return dict(payment=p, loan=loan, invested=invested, rows=rows, flows=flows)


def show(name, x):
    print(f'{name} = {float(x):.10f}')


EXAMPLE = dict(price=200000, rehab=10000, closing=6000, arv=None, term=30, rate='0.065', down='0.25', points='0.01', rent=2000,
               vacancy='0.05', management='0.08', maintenance='0.05', capex='0.05', insurance=1200, hoa=50, tax=1500, other=0,
               rent_growth='0.03', expense_growth='0.02', appreciation='0.03', hold=5, selling='0.07')

if __name__ == '__main__':
    print('# Microsoft Support "IRR function" example: -70,000 then 12,000 15,000 18,000 21,000 (26,000)')
    show('irr 4 years', irr([-70000, 12000, 15000, 18000, 21000]))
    show('irr 5 years', irr([-70000, 12000, 15000, 18000, 21000, 26000]))
    show('irr 2 years (guess -10%)', irr([-70000, 12000, 15000], '-0.1'))
    print('# rental worked example', EXAMPLE)
    r = rental(EXAMPLE)
    show('monthly P&I', r['payment'])
    show('cash invested', r['invested'])
    for row in r['rows']:
        print(' '.join(f'{k}={float(v):.6f}' for k, v in row.items()))
    print('flows', [f'{float(f):.6f}' for f in r['flows']])
    show('irr', irr(r['flows']))
    y1 = r['rows'][0]
    fixed = D(1500 + 1200 + 600)
    show('cap rate', y1['noi'] / 200000)
    show('cash on cash', y1['cf'] / r['invested'])
    show('dscr', y1['noi'] / y1['ds'])
    share = (1 - D('0.05')) * (1 - D('0.08')) - D('0.05') - D('0.05')
    show('break-even rent monthly', (fixed + y1['ds']) / (12 * share))
    show('break-even occupancy', (fixed + D('0.10') * 24000 + y1['ds']) / (24000 * (1 - D('0.08'))))
    print('# 0% rate, 100% down: all-cash, the same hold')
    cash = rental(dict(EXAMPLE, down='1', rate='0'))
    show('irr all cash', irr(cash['flows']))
    print('# negative cash flow, sold at a loss')
    loss = rental(dict(EXAMPLE, price=400000, rent=1800, appreciation='-0.02', rent_growth='0', expense_growth='0'))
    print('flows', [f'{float(f):.6f}' for f in loss['flows']])
    show('irr loss (guess -30%)', irr(loss['flows'], '-0.3'))
    print('# BRRRR: cash purchase 150,000 + closing 3,000 + rehab 40,000 + holding 4,000; refinance 75% of ARV 250,000 at 7% over 30 years, closing 5,000')
    cash_in = D(150000 + 3000 + 40000 + 4000)
    refi = D(250000) * D('0.75')
    cash_out = refi - 5000 - 0
    left = cash_in - cash_out
    p = payment(refi, '0.07', 30)
    gross = D(2100 * 12)
    egi = gross * D('0.95')
    noi = egi - (D(1600 + 1300) + gross * D('0.10') + egi * D('0.08'))
    cf = noi - 12 * p
    show('cash in', cash_in); show('refinance loan', refi); show('cash out', cash_out); show('cash left', left)
    show('refi P&I', p); show('NOI', noi); show('cash flow annual', cf); show('dscr', noi / (12 * p)); show('coc', cf / left)
    print('# flip: 180,000 + rehab 35,000 + closing 4,000; ARV 290,000 after 6 months; 600 a month; selling 8%; 10% down, 12% interest only, 2 points')
    loan = D(180000) * D('0.9')
    down = D(180000) - loan
    points = loan * D('0.02')
    interest = loan * D('0.12') / 12 * 6
    holding = 600 * 6 + interest
    buying = 4000 + points
    selling = D(290000) * D('0.08')
    profit = 290000 - 180000 - 35000 - buying - holding - selling
    invested = down + buying + 35000 + holding
    roi = profit / invested
    show('loan interest', interest); show('holding', holding); show('selling', selling); show('profit', profit); show('invested', invested)
    show('roi', roi); show('annualised roi', (1 + roi) ** 2 - 1)
