"""How much of the gap to decide-exchange-model's runs random tie-breaking explains.

Runs the equal-gain model with 40 tie-breaking seeds on the three decide files and reports, per
issue, whether decide's round-1 and round-10 voting outcomes fall inside the range those seeds
produce. Run from the repository root: python scripts/decide_envelope.py
"""

import numpy as np
from accord.scenario.formats import read_file
from accord.scenario.arrays import ScenarioArrays
from accord.models import get
ref = {}
for line in open('../shared/data/decide/reference_equal_gain_summary.md'):
    c=[x.strip() for x in line.strip().strip('|').split('|')]
    if len(c)==7 and c[0] in ('sample_data','copenhagen','cop21'):
        ref[(c[0], c[1].split(' [')[0])] = (float(c[4]), float(c[5]))
inside1=inside10=total=0
for f, name in [('sample_data.txt','sample_data'),('copenhagen.csv','copenhagen'),('cop21.csv','cop21')]:
    A=ScenarioArrays.from_scenario(read_file('../shared/data/decide/'+f).scenario)
    runs=np.array([A.to_scale(get('exchange')(A.batch(), seed=s).round_outcomes[0]) for s in range(40)])
    for j,iss in enumerate(A.issue_ids):
        v1,v10=ref[(name,iss)]
        lo1,hi1=runs[:,1,j].min(),runs[:,1,j].max(); lo10,hi10=runs[:,10,j].min(),runs[:,10,j].max()
        i1 = lo1-0.05<=v1<=hi1+0.05; i10 = lo10-0.05<=v10<=hi10+0.05
        inside1+=i1; inside10+=i10; total+=1
        print(f"{name:11s} {iss:22s} r1 {v1:5.1f} in [{lo1:5.1f},{hi1:5.1f}] {'Y' if i1 else '-'}   r10 {v10:5.1f} in [{lo10:5.1f},{hi10:5.1f}] {'Y' if i10 else '-'}")
print(inside1, inside10, total)
