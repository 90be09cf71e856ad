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
    ("sign agreement", "AGREE", "057", ["sign|signed|signs|signing", "*", "memorandum|memoranda|agreement|agreements|accord|accords|deal|deals|treaty|treaties|pact|pacts"]),
    ("agree", "AGREE", "030", ["agree|agreed|agrees|agreeing"]),
    ("offer to host", "CONSULT", "036", ["offer|offered|offers|offering", "to", "host"]),
    ("offer to mediate", "CONSULT", "0311", ["offer|offered|offers", "to", "mediate"]),
    ("mediate", "CONSULT", "045", ["mediate|mediated|mediates|mediating|mediation|mediator|mediators|facilitate|facilitated|facilitates|facilitating|facilitation|facilitator|facilitators|brokered|brokering|broker|brokers"]),
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

# Words that point to a PLOVER category wherever they stand in a sentence (matched by their
# Snowball stem; the coder's features, not events). Written from the CAMEO 1.1b3 and PLOVER
# category definitions, in our words; not from any evaluation sentence.
KEYWORDS: dict[str, str] = {
    "AGREE": "agree agreement pledge promise vow offer willing willingness ready readiness intend "
             "intention commit commitment undertake accept consent prepared propose proposal",
    "CONSULT": "meet meeting talks talk negotiate negotiation negotiator discuss discussion consult "
               "consultation visit visitor host summit confer conference telephone phone call "
               "mediate mediation mediator facilitate facilitator broker envoy delegation dialogue "
               "round session trip arrive",
    "SUPPORT": "praise welcome endorse support backing back hail commend applaud congratulate "
               "recognize recognise recognition apologize apologise apology forgive sign ratify "
               "thank defend approve restore relations ties solidarity",
    "COOPERATE": "cooperate cooperation collaborate joint jointly exercise drill extradite extradition "
                 "share trade partnership venture coordinate exchange",
    "AID": "aid assistance donate donation relief supply supplies provide grant loan credit asylum "
           "refuge shelter humanitarian deliver donor fund funding peacekeeper",
    "CONCEDE": "concede concession yield pardon amnesty ease relax lift curfew allow backed "
               "rescind reverse drop waive soften",
    "RETREAT": "release free freed withdraw withdrawal pull retreat surrender repatriate return "
               "resign resignation disarm demobilize demobilise evacuate ceasefire truce hand",
    "INVESTIGATE": "investigate investigation inquiry probe examine inspect inspector inquest "
                   "audit review commission fact-finding investigator",
    "DEMAND": "demand urge call insist order appeal require press push seek request ask",
    "DISAPPROVE": "criticize criticise criticism condemn condemnation denounce accuse accusation "
                  "blame allege charge complain complaint deplore sue lawsuit guilty liable "
                  "protest slam blast attack lash decry",
    "REJECT": "reject rejection refuse refusal deny decline veto dismiss oppose defy rebuff spurn "
              "turn ruled",
    "THREATEN": "threaten threat warn warning ultimatum vow retaliate retaliation consequence "
                "deadline",
    "PROTEST": "protest protester demonstrate demonstration demonstrator rally march strike "
               "boycott riot rioter sit-in hunger picket blockade crowd",
    "MOBILIZE": "mobilize mobilise mobilization deploy deployment alert reinforce reinforcement "
                "mass troops reservist standby readiness manoeuvre maneuver",
    "SANCTION": "sanction embargo expel expulsion recall suspend suspension sever cut freeze "
                "halt break downgrade boycott cancel withdraw",
    "COERCE": "arrest detain detention jail imprison prison seize confiscate ban curfew deport "
              "censor raid crackdown charge sentence martial emergency demolish evict",
    "ASSAULT": "kill killing bomb bombing bomber explode explosion blast suicide kidnap abduct "
               "hijack assassinate assassination torture massacre behead shoot gunman gunmen "
               "attack attacker stab execute lynch hostage",
    "FIGHT": "fight fighting clash battle shell shelling artillery airstrike strike offensive "
             "invade invasion occupy occupation troops tank mortar rocket missile bombard "
             "ambush siege besiege fire gunfire",
}
