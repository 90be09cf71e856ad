"""Event triggers: phrases, their PLOVER category and CAMEO code.

Written from the CAMEO 1.1b3 codebook's verb categories and PLOVER's category definitions (not
from any evaluation sentences). Each entry is a sequence of token alternatives (lower case,
inflected forms listed); ``*`` allows up to three tokens in between.
"""

from __future__ import annotations

Trigger = tuple[str, str, str, list[str]]  # label, PLOVER, CAMEO, pattern

_MEET = "meet|met|meets|meeting|meetings"
_TALK = "talks|negotiations|negotiation|dialogue|dialog|discussions|round"

TRIGGERS: list[Trigger] = [
    ("sign agreement", "AGREE", "057", ["sign|signed|signs|signing", "*", "memorandum|agreement|accord|deal|treaty|pact"]),
    ("agree", "AGREE", "030", ["agree|agreed|agrees|agreeing"]),
    ("offer to host", "CONSULT", "036", ["offer|offered|offers|offering", "to", "host"]),
    ("offer to mediate", "CONSULT", "0311", ["offer|offered|offers", "to", "mediate"]),
    ("mediate", "CONSULT", "045", ["mediate|mediated|mediates|mediating|mediation|mediator|facilitated|facilitates"]),
    ("negotiate", "CONSULT", "046", ["negotiate|negotiated|negotiates|negotiating"]),
    ("negotiate", "CONSULT", "046", ["sat|sit|sits", "down", "*", _TALK]),
    ("negotiate", "CONSULT", "046", ["came|come|comes", "together"]),
    ("join talks", "CONSULT", "036", ["join|joins|joined", "*", _TALK]),
    ("host talks", "CONSULT", "043", ["host|hosted|hosts|hosting"]),
    ("meet", "CONSULT", "040", [_MEET]),
    ("consult", "CONSULT", "040", ["consult|consulted|consults|visited|visit|visits|discuss|discussed"]),
    ("release prisoner", "CONCEDE", "0841", ["release|released|releases|releasing|freed|frees"]),
    ("ease sanctions", "CONCEDE", "085", ["ease|eased|eases|easing|lift|lifted|lifting|relax|relaxed", "*", "sanctions|embargo|restrictions"]),
    ("demand easing of sanctions", "DEMAND", "1054", ["removal|lifting|end", "of", "*", "sanctions|embargo"]),
    ("demand release", "DEMAND", "1053", ["liberation|release", "of", "*", "prisoners|detainees|hostages"]),
    ("demand reform", "DEMAND", "1044", ["guarantees|guarantee", "of", "*", "election|elections|vote"]),
    ("demand", "DEMAND", "100", ["demand|demanded|demands|demanding|insist|insisted|insists|urged|urges|urge|called"]),
    ("push for", "DEMAND", "100", ["push|pushed|pushing|pressed|press", "for"]),
    ("appeal", "DEMAND", "020", ["appeal|appealed|appeals|asked|asks|ask|requested|request|requests|sought|seek|seeks"]),
    ("reject", "REJECT", "120", ["reject|rejected|rejects|rejecting|refuse|refused|refuses|denied|deny|denies|ruled|dismissed|dismiss|vetoed|veto|turned"]),
    ("off the table", "REJECT", "120", ["not", "be", "on", "the", "table"]),
    ("threaten", "THREATEN", "130", ["threaten|threatened|threatens|threatening|warned|warns|warn|ultimatum"]),
    ("protest", "PROTEST", "140", ["protest|protested|protests|protesting|demonstrated|demonstrators|demonstration|rally|rallied|march|marched|strike|boycott|boycotted"]),
    ("criticize", "DISAPPROVE", "111", ["criticize|criticized|criticizes|criticised|condemn|condemned|condemns|accused|accuse|accuses|denounced|denounce|blamed|blame"]),
    ("sanction", "SANCTION", "163", ["sanction|sanctioned|sanctions|embargo|toughened|expelled|expel|suspended|suspend|severed|sever|halted|halt|cut"]),
    ("coerce", "COERCE", "170", ["arrested|arrest|arrests|detained|detain|seized|seize|imprisoned|jailed|deported|deport|extradited|extradite|banned|ban"]),
    ("assault", "ASSAULT", "180", ["killed|kill|kills|bombed|bomb|bombing|attacked|attack|attacks|shot|shoot|assassinated|kidnapped|abducted|tortured|massacre"]),
    ("fight", "FIGHT", "190", ["fought|fight|fighting|clashed|clash|clashes|shelled|invaded|invade|fired"]),
    ("mobilize", "MOBILIZE", "150", ["mobilized|mobilize|deployed|deploy|troops|alert|mobilised"]),
    ("retreat", "RETREAT", "087", ["withdrew|withdraw|withdraws|withdrawn|pulled|retreat|retreated|evacuated|demobilized|ceasefire"]),
    ("concede", "CONCEDE", "080", ["yield|yielded|conceded|concede|accepted|accept|accepts|allowed|allow|returned|return|abandoned|eased"]),
    ("support", "SUPPORT", "050", ["support|supported|supports|praised|praise|endorsed|endorse|backed|back|welcomed|welcome|recognize|recognized|recognise|defended|defend|apologized|apologize"]),
    ("aid", "AID", "070", ["aid|assistance|donated|donate|provided|provide|sent|send|supplied|supply|grant|granted|loan|imports"]),
    ("cooperate", "COOPERATE", "060", ["cooperate|cooperated|cooperation|collaborate|collaborated|cooperating|exchange|exchanged|partnership"]),
    ("investigate", "INVESTIGATE", "090", ["investigate|investigated|investigating|investigation|probe|probed|inquiry|inspected|inspect|examine|examined"]),
]

NEGATION = {"not", "n't", "never", "no", "nor", "without"}
HEDGES = {"may", "might", "could", "would", "possible", "possibly", "suggest", "suggests",
          "suggesting", "suggested", "signaled", "signalled", "willing", "consider", "considering",
          "likely", "reportedly", "expected", "plans", "plan", "intend", "intends"}
