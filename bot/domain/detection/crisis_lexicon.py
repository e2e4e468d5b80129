"""Crisis lexicon as plain data (zh_CN and en), kept in one structure so it can move to dialogs/.

Patterns are regular expressions over normalised text (crisis.normalise: NFKC, casefold,
traditional -> simplified for the characters below, separators inside CJK words removed).
Each term is (weight, kind, pattern); a category fires when its distinct matches weigh at
least `threshold`. Kinds: "method" (how: pills, pesticide, rope, jumping, cutting): a method
act weighs most (4), because method words predict imminent risk more than the word "suicide"
(Crisis Text Line, DOMAIN_NOTES), while a bare method noun weighs 1 and only fires beside
something else (安眠药 alone is grandma's sleeping pills, 农药 alone is farm work); "intent" (a
statement of wanting to die, be hurt, leave); "word" (the bare word: 自杀, suicide, 3);
"hint" (context that only counts beside something else). Masks remove
hyperbole (笑死, 累死了, dying to see), idioms (想死你了 "miss you so", 跳楼价
"rock-bottom price", 紫砂壶 "clay teapot") and negation (不想死, not suicidal)
before matching. Sources for the Chinese expressions: DOMAIN_NOTES "Crisis";
pesticide is a common method in rural China.
"""

from __future__ import annotations

from typing import Any

_WHO = r"(你|您|你们|他|她|它|他们|我了|妈妈|爸爸|爸妈|奶奶|爷爷|姥姥|姥爷|外婆|外公|宝贝)"
_ADJ = (
    r"(笑|累|热|饿|困|气|冷|烦|忙|吵|渴|痛|疼|懒|丑|美|帅|馋|撑|晒|闷|无聊|羡慕|高兴|开心|"
    r"乐|吓|急|尴尬|难受|麻烦|可爱|好吃|难吃|好看|香|臭|挤|紧张|激动|想家)"
)
_EN_NOT = r"(not|never|no longer|don't|dont|do not|won't|wont|wouldn't|will never|would never)"

LEXICON: dict[str, Any] = {
    "threshold": 3,
    "categories": {  # most serious first
        "self_harm": (
            (4, "method", r"割腕|割手腕|划手腕|跳楼|跳河|跳江|跳桥|卧轨|上吊|吊死自己"),
            (4, "method", r"喝农药|喝了农药|喝敌敌畏|喝百草枯|吃老鼠药|吃了老鼠药"),
            (
                4,
                "method",
                r"(攒|存|藏|囤|偷|吞)了?(好多|很多|一瓶|一把|整瓶|一盒|一堆)?的?(安眠|农)药",
            ),
            (
                4,
                "method",
                r"(吃|买|喝)了?(好多|很多|一瓶|一把|整瓶|一盒|一堆)的?(安眠药|药片|农药)",
            ),
            (4, "method", r"从.{0,4}(楼|楼顶|楼上|天台|桥上?)跳下去"),
            (4, "method", r"\boverdos(e|ed|ing)\b|\bslit my wrists?\b|\bcut my wrists?\b"),
            (
                4,
                "method",
                r"\bhang(ing)? myself\b|"
                r"\bjump(ing)? off (a |the |this )?(roof|bridge|building|cliff)",
            ),
            (
                4,
                "method",
                r"\b(took|take|taking|swallow(ed)?) (all|a lot of|lots of|a bunch of|"
                r"too many|a handful of|the whole bottle of|a bottle of)"
                r"( my| the| of my)?( sleeping)? pills",
            ),
            (4, "method", r"\bdr(a|i)nk(ing)? (the )?(pesticide|poison|bleach)"),
            (
                3,
                "intent",
                r"不想活|活不下去|活着(没|没有)(意思|意义)|(不如|恨不得)(去)?死|死了算了|死掉算了|死了就好了",
            ),
            (3, "intent", r"想死|(我|想|要|真想|好想)去死|想(要)?自杀|要自杀|紫砂|自鲨|zi ?sha"),
            (3, "intent", r"轻生|寻死|自尽|了结自己|结束(自己的|我的)?生命|一了百了|遗书"),
            (3, "intent", r"(想|只想|好想|想要)解脱|死了?就(能|可以)?解脱|离开这个世界"),
            (3, "intent", r"伤害自己|自残|自伤|划(伤)?自己|割自己|想(die|kill myself)"),
            (
                3,
                "intent",
                r"\bkill(ing)? myself\b|\bkms\b|\b(want|wanna|wants|wanted) (to )?die\b",
            ),
            (3, "intent", r"\bwish i (was|were) dead\b|\bready to die\b|\bend (it all|my life)\b"),
            (3, "intent", r"\btake my (own )?life\b|\bbetter off (dead|without me)\b|\bunalive\b"),
            (
                3,
                "intent",
                r"\bdon'?t want to (live|be alive|exist|be here anymore)\b|\bsewerslide\b",
            ),
            (3, "intent", r"\bno reason to live\b|\bnothing to live for\b|\b(want|wanna) to 死"),
            (3, "intent", r"\b(hurt|hurting|cut|cutting) myself\b|\bself[- ]?harm"),
            (3, "word", r"自杀|\bsuicid(e|al)\b"),
            (2, "intent", r"活着(好|太|真)累|活得(好|太|真)累|想消失|永远消失|消失就好了|永别了"),
            (
                2,
                "intent",
                r"\bhate (my life|myself)\b|\bcan'?t go on\b|\bcannot go on\b|"
                r"\bdisappear forever\b|\bgoodbye forever\b",
            ),
            (1, "method", r"安眠药|农药|敌敌畏|百草枯|老鼠药|绳子|刀片|楼顶|天台|跳下去"),
            (
                1,
                "method",
                r"\b(sleeping )?pills\b|\bpesticide\b|\brope\b|\bknife\b|\bblade\b|\brazor\b",
            ),
            (2, "intent", r"(没有?人|谁都不)在乎我|没人要我|\bno ?one cares\b|\bnobody cares\b"),
        ),
        "abuse": (
            (3, "intent", r"打我|揍我|虐待|家暴|性侵|强奸|猥亵|被.{0,3}打(了|哭|伤|肿|得|一顿)"),
            (
                3,
                "intent",
                r"摸我(的)?(下面|身体|胸|屁股|隐私|私处)|脱我(的)?(衣服|裤子)|烫我|掐我",
            ),
            (3, "intent", r"把我(关|锁)(起来|在)|用(皮带|棍子|衣架|鞭子|扫把).{0,4}(打|抽)"),
            (
                3,
                "intent",
                r"\b(dad|father|mom|mother|uncle|aunt|stepdad|stepmom|grandpa|grandma|he|she|"
                r"they) (always |often |sometimes |still )?hurts? me\b",
            ),
            (
                3,
                "intent",
                r"\b(hit|hits|hitting|beat|beats|beating|punch(es|ed)?|kick(s|ed)?|"
                r"slap(s|ped)?|chok(es|ed)|burn(s|ed)?) me\b",
            ),
            (
                3,
                "intent",
                r"\babus(e|ed|es|ing)\b|\bmolest|\brap(e|ed)\b|\btouch(es|ed|ing)? me\b",
            ),
            (3, "intent", r"\btouch(es|ed)? my private|\blocks? me (in|up)\b|\bstarves? me\b"),
            (
                2,
                "intent",
                r"不让我吃饭|威胁我|不(许|准)(我)?告诉(别人|任何人)|\bnot to tell anyone\b",
            ),
            (1, "hint", r"摸我|骂我|\byells? at me\b"),
        ),
        "bullying": (
            (3, "intent", r"欺负|霸凌|校园暴力|抢我(的)?钱|勒索我|\bbull(y|ied|ies|ying)\b"),
            (3, "intent", r"\bpick(s|ed)? on me\b|\bbeat me up\b|\bcyber ?bull"),
            (
                2,
                "intent",
                r"被孤立|孤立我|排挤|嘲笑我|给我起外号|要我的钱|\bcall(ed|s)? me names\b",
            ),
            (
                2,
                "intent",
                r"\bma(k|d)es? fun of me\b|\b(took|take|takes|steal|stole) my (money|lunch)",
            ),
            (
                1,
                "hint",
                r"笑我|骂我|没人(跟|和)我玩|\blaugh(ed|s)? at me\b|\bexclud|\bignore(s|d)? me\b",
            ),
        ),
        "running_away": (
            (
                3,
                "intent",
                r"离家出走|\b(i|we)('m| am| will|'ll)? (going to |gonna |want to |wanna )?"
                r"(run|ran|running) away\b|\b(run|ran|running) away from home\b",
            ),
            (2, "intent", r"\brun(ning)? away\b|\bran away\b|\brunaway\b"),
            (2, "intent", r"不想回家|不回家了|(我要|我想)?偷偷(去|跑|坐车|坐火车|坐大巴|溜)"),
            (
                2,
                "intent",
                r"\bleav(e|ing) home\b|\bnever coming back\b|出走|一个人(坐车|坐火车|跑)",
            ),
            (
                1,
                "hint",
                r"逃跑|逃走|逃离|跑掉|找(妈妈|爸爸|爸妈)|\bsneak out\b|\bfind my (mom|dad)",
            ),
        ),
    },
    "masks": (
        _ADJ + r"(得)?(要)?死(了|我了|人了|啦|啊|吧|掉了)?",  # 笑死, 累死了, 热得要死
        r"想死" + _WHO,  # 想死你了: "I miss you so much"
        r"(?<!要)(?<!想)(?<!会)(不|没|没有|从没|从来没有?|并不|并没有|不会|绝不|才不|不要|别)"
        r"(会|想|要|打算|敢|是|真的|再)*(过)?(去)?"
        r"(死|自杀|轻生|伤害自己|自残)",  # 不想死, 没想过自杀, 不会自杀
        r"死党|死机|死定了|该死|死活|死心|死记硬背|死胡同|打死(我)?也不",
        r"跳楼价|跳楼大?甩卖|紫砂(壶|锅|杯)|(防|预防|防止)自杀",
        r"打我(的)?(电话|手机)|给我打|打我一下电话|欺负(人)?的(不是|不)我",
        r"\bdying (to|for|of)\b|\bkill(ing|ed)? it\b|\b(i'?d|would|to) die for\b",
        r"\bdie of (embarrassment|boredom|laughter|laughing|cringe)\b|\bscared to death\b",
        r"\bnot suicidal\b|\bno (suicidal )?thoughts of (suicide|hurting myself|killing myself)\b",
        _EN_NOT + r" (really |ever )?(want|wanna|going|gonna|plan|planning|try|trying)?( to)? ?"
        r"(die|kill myself|hurt myself|end (it all|my life)|commit suicide)\b",
        r"\bsuicide prevention\b|\bhit me up\b|\bbeat me (at|in)\b|(^|[.!?] *)beats me\b",
        r"\b(story|movie|film|song|book|words|letter|video) (really |deeply )?touched me\b",
        r"\bpills? (for|to help) (my )?(cold|headache|sleep|allergy)|\bjump(ing)? rope\b",
        r"\bbored to death\b|\bdie laughing\b|\bdead tired\b",
    ),
    # Traditional -> simplified for characters the patterns use (cheap, not a full table), as
    # space-separated pairs.
    "traditional": (
        "殺杀 輕轻 尋寻 盡尽 結结 離离 開开 這这 個个 們们 沒没 來来 為为 "
        "麼么 會会 說说 對对 讓让 還还 遺遗 書书 樓楼 藥药 農农 繩绳 傷伤 "
        "殘残 負负 淩凌 錢钱 媽妈 爺爷 後后 繼继 關关 脫脱 強强 姦奸 褻亵 "
        "罵骂 擠挤 學学 獨独 聽听 見见 過过 從从 絕绝 樣样 覺觉 愛爱 與与 "
        "敵敌 體体 隱隐 燙烫 壞坏 餓饿 熱热 氣气 嚇吓 睏困 悶闷 無无 帥帅 "
        "醜丑 饞馋 難难 頭头 話话 電电 機机 號号 鬧闹 時时 間间 搶抢 滅灭 "
        "斷断 將将 邊边 車车 廣广 紮扎 劃划 顆颗 樂乐 緊紧 張张 動动 擔担 "
        "憂忧 嗎吗 囉啰 騙骗 脅胁 臉脸 幫帮 懼惧 鎖锁 掃扫 撐撑 曬晒 羨羡 "
        "興兴 尷尴 煩烦 飯饭 門门 著着 橋桥 臥卧 軌轨 攢攒 頂顶 臺台 園园 "
        "帶带 許许 準准 訴诉 別别 並并 壺壶 價价 賣卖 預预 黨党 記记 該该 "
        "寶宝 貝贝 給给 遠远 褲裤 鬱郁 總总 夠够 "
    ),
}
