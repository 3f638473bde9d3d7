"""Word lists the attribution rules share: speech cues, roles, honorifics, first names."""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Verbs that report speech or writing, in the forms news prose uses them.
SPEECH_VERBS = _words(
    """say says said saying tell tells told telling add adds added adding ask asks asked asking
    explain explains explained explaining note notes noted noting write writes wrote written writing
    tweet tweets tweeted tweeting post posts posted declare declares declared declaring state states
    stated argue argues argued arguing continue continues continued warn warns warned warning
    insist insists insisted insisting reply replies replied replying respond responds responded
    responding recall recalls recalled recalling remark remarks remarked announce announces announced
    announcing acknowledge acknowledged acknowledges admit admits admitted admitting claim claims claimed
    claiming complain complains complained complaining concede concedes conceded conclude concludes
    concluded contend contends contended emphasize emphasized emphasizes emphasise emphasised joke jokes
    joked joking quip quips quipped report reports reported shout shouts shouted suggest suggests
    suggested suggesting stress stresses stressed stressing urge urges urged urging vow vows vowed vowing
    yell yells yelled predict predicts predicted promise promises promised observe observes observed
    muse mused exclaim exclaimed cry cried scream screamed testify testified testifies deny denies
    denied confirm confirms confirmed caution cautioned cautions boast boasted boasts brag bragged
    chant chanted counter countered counters charge charged charges assert asserted asserts allege
    alleged alleges maintain maintained maintains reiterate reiterated reiterates wonder wondered
    wonders lament lamented proclaim proclaimed pledge pledged opine opined retort retorted interject
    interjected thunder thundered snap snapped fume fumed whisper whispered demand demanded demands
    recount recounted recounts agree agreed agrees scoff scoffed scoffs question questioned
    questions sigh sighed laugh laughed shrug shrugged gush gushed rage raged bristle bristled
    grumble grumbled react reacted reacts called calling tout touted touts concur concurred describe
    described describes mock mocked mocks read reads begin began begins go goes went
    yelling shouting screaming chanting crying testifying boasting bragging demanding quipping
    remarking stating observing predicting promising confirming denying cautioning countering
    asserting alleging reiterating lamenting proclaiming pledging retorting whispering recounting
    scoffing concluding conceding contending emphasizing emphasising reporting sing sings sang singing
    answer answers answered answering assure assures assured remember remembers remembered
    bark barks barked beam beamed crack cracked chirp chirped growl growled snarl snarled sneer sneered
    marvel marveled marvelled enthuse enthused holler hollered bellow bellowed mutter muttered
    mumble mumbled murmur murmured snipe sniped tease teased needle needled"""
)
# What is written and can be quoted as it "reads": '"…," the letter reads.'
DOCUMENT_NOUNS = _words(
    """letter statement article email memo post tweet message sign note headline report document ad
    advertisement caption banner placard poster release text editorial column petition resolution"""
)
# Cues that are also nouns in their bare form: after "a snappy", "the caustic" they name what was said.
NOUN_CUES = _words(
    """retort chant question claim report remark promise tweet post joke quip vow pledge demand charge
    counter cry scream shout whisper laugh sigh shrug boast note warning reply"""
)
# Participles whose speaker is the subject of the clause they hang from.
PARTICIPLE_CUES = _words(
    """saying telling adding asking explaining noting writing tweeting declaring arguing warning
    insisting replying responding recalling announcing acknowledging admitting claiming complaining
    suggesting stressing urging vowing joking calling"""
)
# "said Caddell", "writes Smith": cues after which a speaker can follow.
INVERTIBLE = _words(
    """said says say added adds asked asks wrote writes explained explains noted notes continued
    continues recalled recalls replied replies tweeted tweets declared declares argued argues
    insisted insists warned warns remarked quipped joked observed concluded countered responded
    cautioned suggested recounted admitted acknowledged stated adds"""
)
# Verbs that take a listener after them: in "Lavrov told reporters" the speaker comes first.
LISTENER_VERBS = _words("told tells tell telling asked asks ask urged urges warned")
# A cue that is not enough alone: "went", "began" only count before a colon.
WEAK_CUES = _words("go goes went begin began begins read reads describe described describes mock mocked mocks")

SUBJECT_PRONOUNS = _words("he she they it we i you")
# "one of the officials", "two of her colleagues": a part of a group, never a name.
QUANTIFIERS = _words("one some many two three four several each none most few all both either neither")
GENDER_PRONOUNS = {"he": "m", "she": "f"}

DETERMINERS = _words("a an the his her their its our my your this that these those one another some several many each every both")
# Words never inside a speaker's name or description (lower case).
FUNCTION_WORDS = _words(
    """in on at by for with from to of about after before during into over under since than as like
    through against between among without within via per upon across toward towards around near
    and or but nor so yet because while when where if although though whereas unless until whether
    that which who whom whose what whatever whoever how why
    is was were are be been being am has have had do does did will would can could may might must
    shall should not no also then there here now just only even still already once again too very
    it they he she we i you them him us me"""
)
# Lower-case words to pass over between a speaker and the verb ("he later said").
ADVERBS = _words(
    """also later then has have had was is would will reportedly again previously recently once
    further repeatedly earlier simply often frequently famously bluntly quickly flatly publicly
    privately jokingly angrily finally first initially never not did does do could can may might
    should must subsequently immediately directly specifically explicitly already just only even
    still twice openly loudly quietly softly sharply firmly calmly tersely curtly simply plainly
    succinctly proudly separately additionally"""
)
# Capitalised words that open a sentence without starting a name.
SENTENCE_OPENERS = _words(
    """The A An In On At By For With From To Of About After Before During Into Over Under Since As
    And Or But Nor So Yet Because While When Where If Although Though Whereas Unless Until Whether
    That Which Who What How Why This These Those There Here Now Then Still Also However Meanwhile
    Earlier Later Last Next Yesterday Today Tomorrow Asked Speaking Instead Indeed Thus Even Just
    Only It He She They We I You His Her Their Its Our My Your Some Many Most Both Each Every Such
    Despite Like Unlike Among Within Without Through Against Following According Once Twice Is Was
    Are Were Has Have Had Do Does Did Will Would Can Could May Might Must Should Not No Yes Well Oh
    Mr Mrs Ms"""
)
HONORIFICS = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f", "mme": "f", "mme.": "f", "dr": "", "dr.": "", "sir": "m", "dame": "f", "lady": "f", "lord": "m"}
# Title words: a capitalised run of these before a name is the role, not the name.
TITLES = _words(
    """president vice prime minister ministers secretary chancellor senator sen sen. rep rep.
    representative congressman congresswoman gov gov. governor lieutenant lt lt. mayor chairman
    chairwoman chair chairperson director chief spokesman spokeswoman spokesperson leader speaker
    attorney general judge justice ambassador envoy commissioner commander officer adviser advisor
    aide strategist manager ceo cfo coo executive founder co-founder cofounder head candidate nominee
    hopeful king queen prince princess pope cardinal archbishop bishop rev rev. reverend rabbi imam
    sheikh ayatollah emir sultan gen gen. col col. maj maj. capt capt. sgt sgt. adm adm. cmdr cmdr.
    colonel major captain sergeant admiral professor prof prof. analyst economist lawyer correspondent
    reporter editor columnist host anchor deputy assistant counsel counselor treasurer clerk
    superintendent sheriff detective inspector commissioner premier president-elect vice-president
    foreign defense defence interior finance treasury home trade energy health education labor labour
    justice affairs security national press campaign party white house senate state federal
    democratic republican majority minority whip former acting interim incoming outgoing top senior
    chief-of-staff staff former then-president then-candidate first lady gop u.s. us uk eu un nato
    dnc rnc fbi cia nsa pentagon"""
)
# Title words that end a role ("… Minister", "… Secretary") whatever capitalised words come before them.
ROLE_TITLES = _words(
    """president minister secretary chancellor senator sen. rep. representative congressman
    congresswoman governor gov. mayor chairman chairwoman chair director chief spokesman spokeswoman
    spokesperson leader speaker attorney judge justice ambassador envoy commissioner commander
    adviser advisor aide manager ceo executive founder head candidate nominee councillor councilor
    councilman councilwoman deputy premier professor"""
)
# Lower-case role heads that end a description right before a name.
ROLE_HEADS = _words(
    """president minister secretary chancellor senator representative congressman congresswoman
    governor mayor chairman chairwoman chair director chief spokesman spokeswoman spokesperson
    leader speaker attorney general judge justice ambassador envoy commissioner commander officer
    adviser advisor aide strategist manager executive founder head candidate nominee hopeful
    analyst economist lawyer correspondent reporter editor columnist host anchor deputy assistant
    counsel counselor treasurer official spokeswoman surrogate pollster consultant operative
    activist organizer chairperson professor historian expert researcher scientist author writer
    businessman businesswoman billionaire developer donor
    source widow widower mother father wife husband daughter son sister brother resident owner
    teacher nurse doctor farmer student voter worker survivor witness neighbour neighbor friend"""
)
# Lower-case words inside a role: "White House press secretary", "presidential nominee".
ROLE_MODIFIERS = _words(
    """presidential vice-presidential former press campaign national senior deputy chief top foreign
    defense defence state party house white republican democratic state-run running longtime
    long-time veteran executive associate assistant general special political economic legal
    communications policy security intelligence military finance federal regional local county
    city district country nation's ranking"""
)
# Heads of a description of an organisation rather than a person.
ORGANISATION_HEADS = _words(
    """campaign committee coalition government ministry department agency office party council
    company firm group organization organisation association union network newspaper paper agency
    channel station magazine site website statement report poll survey court administration army
    military police service kremlin embassy board commission foundation institute university
    team staff spokesman spokeswoman spokesperson authority trust fund bank centre center society
    alliance federation forum bureau corporation partnership"""
)
FEMALE_ROLES = _words("spokeswoman congresswoman chairwoman businesswoman queen princess mrs mrs. ms ms. miss dame lady actress first-lady")
MALE_ROLES = _words("spokesman congressman chairman businessman king prince mr mr. sir lord")
# Words that make a capitalised run a place or an organisation, not a person.
NOT_PERSON = _words(
    """State States House Senate Congress Department Agency Service Party Committee Council Court
    University College School Times News Post Journal Tribune Herald Press Review Magazine Network
    City County Street Avenue Square Park River Sea Ocean Island Islands Mountains Valley Bay
    Republic Kingdom Union Nations Organization Organisation Association Foundation Institute Center
    Centre Church Airport Hospital Bank Fund Group Company Corporation Inc Corp Ltd Club League
    Army Navy Force Forces Guard Police Ministry Office Administration Government Parliament Assembly
    Commission Board Federal National International United American Democratic Republican Islamic
    North South East West Northern Southern Eastern Western New Fox CNN NBC ABC CBS MSNBC AP Reuters
    January February March April May June July August September October November December Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday Day Week Year Twitter Facebook Instagram
    YouTube Google Apple Amazon Microsoft God Act Bill Amendment Constitution Street War
    America Americas Europe Africa Asia Russia Turkey Syria China Iran Iraq Israel Britain England
    France Germany Japan Mexico Canada Ukraine India Pakistan Afghanistan Egypt Libya Yemen Korea
    Cuba Brazil Italy Spain Greece Poland Australia Moscow Ankara Washington Beijing London Paris
    Berlin Tehran Damascus Kyiv Kiev Brussels Jerusalem Kremlin Pentagon Capitol Manbij Aleppo
    Iowa Ohio Texas Florida California Virginia Carolina Michigan Pennsylvania Wisconsin Nevada
    Colorado Arizona Georgia Hampshire Jersey York Chicago Boston Philadelphia Democrats Republicans
    Obamacare Medicare Medicaid ISIS Islamic Hezbollah Hamas Taliban"""
) - {"Bill"}
NAME_PARTICLES = _words("de van von der den da di du del della la le bin ibn al el ben st. dos das")
SUFFIXES = _words("Jr Jr. Sr Sr. II III IV")

# Common first names, to tell a person's name from a place and him from her.
MALE_NAMES = _words(
    """james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald
    edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon
    benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam
    nathan henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry
    gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel
    logan albert willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason
    philip louis bill ben bernie ted jeb marco mike chris tom tim jim bob rick rand newt mitt barack
    vladimir sergei recep tayyip mevlut bashar emmanuel boris xi shinzo justin narendra
    benjamin mohammed muhammad ahmed ali hassan omar abdullah ibrahim yusuf mustafa kemal ahmet mehmet
    dmitry dmitri alexei alexey sergey ivan nikolai viktor igor andrei pierre jean francois jacques
    nicolas hans klaus wolfgang jurgen helmut olaf friedrich giuseppe giovanni matteo carlos luis
    miguel jorge pedro manuel antonio fernando diego javier rodrigo reince corey kellyanne sean
    lindsey chuck harry mitch lamar orrin rudy newt reince steve stephen jared eric kevin jon lin
    hakeem luke abe moon kim jong rex wilbur steven ajit nigel theresa gordon tony david keir"""
) - {"lindsey", "kellyanne", "theresa"}
FEMALE_NAMES = _words(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty
    margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma
    nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather
    diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith megan
    andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn janice
    jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly isabella
    theresa diana natalie brittany charlotte marie kayla alexis lori hillary chelsea ivanka melania
    michelle kellyanne hope huma donna debbie nancy elizabeth sarah carly nikki condoleezza
    madeleine janet loretta susan samantha tulsi kamala dianne barbara claire maxine gwen sheila
    marine theresa angela ursula christine federica nicola jacinda julia yulia maria olga svetlana
    irina natalia tatiana ayse fatma zeynep emine lindsey kate meghan huma katy tina mika"""
) - {"jean"}
