"""Prints the parameter table of docs/ODD.md from `civitas params` (so the table cannot drift from the
schema) joined with each parameter's source, kept here.
Usage: python3 docs/tools/odd_parameters.py CIVITAS [--check docs/ODD.md]   (--check: exit 1 if stale)"""
import re
import subprocess
import sys

D1, D2, D3, D4, D5 = ("DOMAIN.md §1", "DOMAIN.md §2", "DOMAIN.md §3", "DOMAIN.md §4", "DOMAIN.md §5")
MC = "modelling choice"
SOURCES = {
    "population.citizens": "scenario", "population.firms": f"{MC}: 1 firm per 50 citizens",
    "population.charities": f"{MC}: 1 charity per 500 citizens", "values.dimensions": f"{D1}: the 17 UN SDGs",
    "society.cash_citizen": f"{MC}: four weeks of the mean net wage", "society.cash_charity": MC,
    "society.cash_government_per_citizen": MC, "society.firm_cash_weeks": f"{MC}: a month of payroll",
    "society.profit_share": f"{MC}: keeps money circulating instead of piling up in firms",
    "society.employment_rate": f"{MC}: 10% of citizens without an employer (unemployed or inactive)",
    "society.firm_size_sigma": f"{MC}: skewed firm sizes (lognormal)", "society.wage_mean": f"{MC}: £500/week ≈ £26k/year, near the UK median",
    "society.wage_sigma": f"{MC}: wage dispersion across firms", "society.income_tax": "UK basic rate 20%",
    "society.consumption_share": MC, "society.offers_sampled": f"{D1}: 'a small sampled set of offers'",
    "society.alpha": f"{D1}: the AI Ubot's strength", "society.price_sensitivity": MC, "society.price_sigma": MC,
    "society.raw_share": f"{D1}: supply-chain stages", "society.manufacturer_share": f"{D1}: supply-chain stages",
    "society.suppliers_per_firm": MC, "society.input_share": f"{MC}: intermediate inputs ≈ 60% of output",
    "society.csr_share": f"{MC}: 2% (India's statutory CSR is 2% of profit; here of revenue)",
    "society.co2_per_1000": MC, "society.co2_sigma": MC, "society.donation_probability": MC,
    "society.donation_share": MC, "society.service_share": MC, "society.beneficiaries_per_step": MC,
    "society.charity_staff": MC, "society.deed_probability": f"{D2}", "society.peer_influence": f"{MC}: social contagion",
    "society.verification_probability": f"{D2}: 'when a good deed is verified'", "society.deed_backing": f"{D2}: sponsor money backs each lot",
    "society.deed_tokens": D2, "society.value_tradable": f"{D2}, {D3} (market)", "society.sell_probability": MC,
    "society.pool_cash_per_citizen": f"{D2}: constant-product pool", "society.pool_tokens_per_citizen": f"{D2}: constant-product pool",
    "society.data_consent": f"{D4}", "society.data_value_per_customer": MC, "society.data_tax": f"{D4}: default 19%",
    "society.data_tax_relief": f"{D4}: optional tax relief", "society.welfare_threshold": MC, "society.welfare_amount": MC,
    "society.procurement_every": MC, "society.procurement_share": MC, "society.procurement_bidders": MC,
    "society.social_value_weight": f"{D4}: UK Social Value Act practice weights social value 10–30%",
    "society.year": f"{D5}: minimum wage table 2012–2018", "society.steps_per_year": f"{MC}: weekly steps",
    "society.social_graph": f"{D1}", "society.mean_degree": MC, "society.graph_param": "Watts & Strogatz 1998; Palmer & Steffan 2000",
    "society.misconduct_probability": MC, "governance.regime": D3,
    "social_credit.q": f"{D3}; Nowak & Sigmund 1998 (cooperation needs q > c/b)", "social_credit.error": D3,
    "social_credit.start": f"{D3}: start 1000", "social_credit.reward": D3, "social_credit.penalty": D3,
    "social_credit.decay": D3, "social_credit.review_every": f"{MC}: quarterly", "social_credit.grade_a": D3,
    "social_credit.grade_b": D3, "social_credit.grade_c": D3, "social_credit.rebate": f"{D3}: joint rewards",
    "social_credit.luxury_cap": f"{D3}: barred from luxury purchases", "social_credit.whistleblow": D4,
    "social_credit.priority_bonus": f"{D3}: priority", "daf.rule": D3, "daf.levy": f"{D3}: a share of transactions",
    "daf.csr_to_fund": D3, "daf.data_tax_to_fund": f"{D3}, {D4}", "daf.period": MC, "daf.spend_share": MC,
    "daf.voters": f"{MC}: a sample stands for the electorate", "daf.citizen_proposals": D3, "daf.noise": f"{MC}: wisdom of the crowd",
    "daf.turnout": MC, "daf.quorum": D3, "daf.delegation": D3, "daf.contribution_share": MC,
    "daf.alpha": f"{D3}: 2^(-1/3) (1Hive conviction voting)", "daf.beta": f"{D3}: 0.2", "daf.rho": f"{D3}: 0.0025",
    "daf.proposal_rounds": MC, "alliance.sponsors": D3, "alliance.trip_probability": f"{D3}: low-carbon travel pilot",
    "alliance.points_per_trip": MC, "alliance.verification": D3, "alliance.fraud_probability": MC, "alliance.fake_pass": MC,
    "alliance.offer_points": MC, "alliance.offer_value": MC, "alliance.redeem_probability": MC,
    "alliance.commitment": f"{D3}: sponsors pre-commit", "alliance.period": f"{D3}: clearing per period",
    "alliance.audit_probability": f"{D3}: the supervisor", "alliance.freeze_steps": f"{D3}: freeze",
}
LINE = re.compile(r"^(\S+)\s+(.*?)\s+default (\".*?\"|\S+)\s+(.*)$")


def main(binary, check=None):
    text = subprocess.run([binary, "params"], check=True, capture_output=True, text=True).stdout
    rows = ["| parameter | type | default | range | meaning | source |", "|---|---|---|---|---|---|"]
    missing = []
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        path, kind, default, rest = m.groups()
        if not path.split(".")[0] in ("population", "values", "society", "governance", "social_credit", "daf", "alliance"):
            continue
        doc, _, rng = rest.partition("; range ")
        if path not in SOURCES:
            missing.append(path)
        kind = kind.replace("one of: ", "").replace(", ", " \\| ")
        rows.append(f"| `{path}` | {kind} | `{default}` | {rng} | {doc} | {SOURCES.get(path, '?')} |")
    if missing:
        print("missing sources: " + ", ".join(missing), file=sys.stderr)
        return 1
    if check:
        with open(check) as f:
            have = set(f.read().splitlines())
        stale = [r for r in rows if r not in have]
        for r in stale:
            print(f"{check} lacks or has an outdated row: {r}", file=sys.stderr)
        return 1 if stale else 0
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--check" else None))
