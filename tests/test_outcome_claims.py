"""No free-standing outcome claims: the course's rule on claims, enforced on the notebooks' text.

The rule (COURSE_DESIGN.md, "Notebook conventions"): a sentence that states the outcome of a
training run (one model beat another, validation turned back, dropout delayed overfitting, X is
faster than Y) is either computed from this run's numbers, as a verdict the notebook prints, or
attributed to its source with its number ("the book measured 0.2619"). It is never stated
free-standing in markdown, and never in a plot title. Text cannot be computed, so in a notebook's
markdown an outcome sentence must be *attributed*, or be no claim at all: a question, an
instruction to look, or a hypothesis.

How the checker decides, and what makes it hard to fool:

1. **Where it reads.** Every markdown cell (slides, sub-slides, speaker notes), every comment and
   docstring in a code cell, every string a code cell passes to a plot's text (``title=``,
   ``set_title(``, ``suptitle(``, ``plt.title(``, axis labels, ``label=``, legends, ``text(``),
   and every other string literal in a code cell. A plot string held in a variable is followed
   back to the literals the notebook binds to that name (``title = "..."``, and loops over
   literal tuples such as ``for label, history in [("GRU", ...), ...]``); f-strings are read by
   their literal parts.
2. **What counts as an outcome.** Not a phrase list but a vocabulary of outcome *terms*, matched
   as regular expressions with their inflections: verbs of winning and losing (beat, outperform,
   win, lose, gain, help, hurt, exceed, trail, overtake, catch up, pay off), of change in a
   curve (improve, turn back, stall, plateau, converge, diverge, "validation error keeps
   falling", "the loss rose"), overfitting and underfitting as things a model does, comparatives
   (better, worse, lower, higher, faster, slower, cheaper, more accurate, twice as long, four
   times the seconds), verdict words (poor, worth, significant, margin, no cost, as good as,
   "does well"), and figures: a number with an outcome unit (°C, nats or bits per character,
   seconds per epoch) or "0.2633 against 0.2619". A term is matched inside a sentence, so it
   is found wherever the sentence puts it.
3. **When a term is allowed in prose.** Each term needs its own licence, found in its own
   clause (clauses end at ``;``, ``:`` and dashes, so an attributed clause cannot cover an
   unattributed one beside it):

   - *attributed*: the sentence holds a number, and the clause names a source (the book, Deep
     Learning with Python, Chollet, an author-year citation, "et al.", "published", "reports",
     a dated measurement "2026-11-27") or refers back ("its", "there", "that run", or "it" as
     the subject before the term) to a source named earlier in the sentence or paragraph; a
     clause that speaks of this run ("our", "we", "here") never borrows a source's authority;
   - *a question*: the clause ends the sentence with "?" (but not a "why ..." question, which
     presupposes the outcome it asks about);
   - *hypothetical*: a modal (may, might, can, could, would, should, tends to, is meant to,
     expect...) stands at most eight words before the term, with no comma between ("cannot"
     and "could not" state an outcome and do not count); or "if", "whether" or "unless" stands
     before it in the clause; or the clause opens with "when", "once" or "whenever" and the
     term sits inside that condition (before any comma); or the term follows "once", "until"
     or "as soon as" with no comma between ("stops once validation stops improving");
   - *an instruction to look*: the clause opens with an imperative (look, compare, watch,
     check, see, try, predict, judge...), or points at a printed verdict ("the verdict printed
     above"), or embeds a question ("does not say which is faster"), and an interrogative
     (whether, which, where, what, how much...) stands before the term; not "why", and not a
     bare "how": "see how dropout delays overfitting" presupposes the outcome.

   A few uses of the vocabulary report no outcome and are left alone: a target ("the baseline
   to beat", "must beat"), overfitting as a topic ("dropout against overfitting", "what
   overfitting looks like"), a stopping rule ("four epochs without improvement"), a word or two
   in quotes (a sentiment word such as "worst"), and the entries of a "References" list.

4. **Plot text gets no licence at all**: a title or label names what is plotted, so any outcome
   term in it fails.
5. **Strings printed by code** must be *chosen by a comparison*: a literal holding an outcome
   term is allowed only as a branch of a conditional expression or ``if`` statement, or as an
   element of a container indexed by a comparison. A claim moved from markdown into
   ``print("dropout delays overfitting")`` fails like the markdown did.
6. **The checker is itself tested**: known bad sentences (among them the four the issue quoted)
   must be flagged, known good ones (attributed, questions, instructions, hypotheses, plain
   descriptions of the set-up) must pass, and the same for plot text and printed strings.

What it cannot do: understand sentences. A claim written with none of the vocabulary ("the
stack is the model to use") passes, and so does one dressed in a licence it does not deserve
("if anything, the GRU beats it"). Add the term or the case to the lists below, with a sentence
in ``BAD_PROSE`` that shows it, when review finds one.

Every notebook is held to it.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# ---------------------------------------------------------------------------------------------
# 2. The outcome vocabulary.

_WORD_NUMBER = r"(?:\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten|several|many)"
_PERFORM = (
    r"(?:do|does|did|doing|done|perform\w*|scor(?:e|es|ed|ing)|works?|worked|far(?:e|es|ed)|"
    r"forecasts?|classif\w+|predicts?|generali[sz]\w*)"
)
_METRIC_MOVES = (
    r"keeps?|kept|stops?|stopped|starts?|started|stays?|stayed|goes|went|falls?|fell|falling|"
    r"rises?|rose|rising|drops?|dropped|climbs?|climbed|increases?|increased|decreases?|"
    r"decreased|grows?|grew|shrinks?|shrank|flattens?|flattened|levels?\s+off|bottoms?\s+out"
)
OUTCOME_TERMS: dict[str, str] = {
    "beat": r"\bbeat(?:s|en|ing)?\b",
    "outperform": r"\b(?:out|under)-?perform\w*|\bout-?(?:do|does|did|done)\b",
    "overfit": r"\b(?:over|under)-?fit(?:s|ted)?\b",
    "overfitting": r"\b(?:over|under)-?fitting\b",
    "improve": r"\bimprov\w*",
    "better/worse": r"\b(?:better|worse|worst)\b",
    "comparative": r"\b(?:lower(?!-case)|higher|faster|slower|quicker|cheaper|costlier|"
    r"sharper|tighter)\b",
    "more/less accurate": r"\b(?:more|less)\s+(?:accurate|precise|stable|expensive|costly|"
    r"useful|effective|robust|reliable)\b",
    "performs well": rf"\b{_PERFORM}\s+(?:\w+\s+)?(?:well|poorly|badly|best)\b",
    "as good as": rf"\bas\s+(?:good|bad|accurate)\b|\b{_PERFORM}\s+"
    r"(?:about\s+|nearly\s+|almost\s+|roughly\s+|just\s+)?as\s+well\b",
    "poor": r"\bpoor(?:ly|er|est)?\b",
    "help/hurt": r"\b(?:help(?:s|ed|ing)?|hurt(?:s|ing)?)\b",
    "win/lose": r"\b(?:win(?:s|ning)?|won)\b|\b(?:los(?:e|es|ing)|lost)\s+(?:to|against|out|"
    r"ground|accuracy|\d)",
    "gain": r"\bgain(?:s|ed|ing)?\b",
    "turns back": r"\bturn(?:s|ed|ing)?\s+(?:back|around)\b",
    "stall": r"\b(?:stall\w*|plateau\w*|diverg\w*|converg\w*)\b",
    "no cost": r"\b(?:at|for|with)\s+(?:no|little|almost\s+no|nearly\s+no|next\s+to\s+no)\s+"
    r"(?:cost|loss|penalty|price)\b|\bcosts?\s+nothing\b",
    "costs twice": r"\bcost(?:s|ing)?\s+(?:about\s+|roughly\s+|nearly\s+|almost\s+|only\s+)?"
    r"(?:twice|half|\d|more|less|much|little)",
    "times as": rf"\b(?:twice|thrice|{_WORD_NUMBER}\s*(?:x|×|times))\s+(?:as\s+(?:fast|slow|long|"
    r"much|many|quick|expensive|good|bad)|the\s+(?:time|seconds|cost|error)|more|less|"
    r"slower|faster)",
    "delays": r"\bdelays\s+(?:the\s+)?\w+ing\b|\b(?:is|was|are|were|be|been)\s+delayed\b|"
    r"\bdelay(?:s|ed|ing)?\s+(?:the\s+)?(?:overfitting|onset|turn|best|minimum)",
    "reach": r"\breach(?:es|ed|ing)?\s+(?:about\s+|only\s+|roughly\s+|nearly\s+|almost\s+)?"
    r"(?:(?:a|an|its|their|the)\s+)?(?:best|lowest|highest|minimum|validation|test|error|mae|"
    r"accuracy|loss|perplexity|same|baseline|\d)",
    "match": r"\bon\s+par\b|\bcatch(?:es)?\s+up\b|\bcaught\s+up\b|"
    r"\bthe\s+same\s+(?:validation\s+|test\s+|training\s+)?(?:error|mae|accuracy|loss|"
    r"perplexity)\b",
    "exceed": r"\b(?:exceed\w*|surpass\w*|overtak\w*|outstrip\w*|trail(?:s|ed)|"
    r"trailing\s+(?:behind|the)|lag(?:s|ged|ging)?|edges?\s+out|ahead\s+of|falls?\s+short|fell\s+short|falls?\s+behind|"
    r"fell\s+behind)\b",
    "verdict word": r"\b(?:worth|pays?\s+off|paid\s+off|significant\w*|substantial\w*|"
    r"marginal\w*|dramatic\w*|superior|inferior|dominat\w*|struggl\w*|fail(?:s|ed)?\s+to|"
    r"succeed\w*)\b|\bmargin\b",
    "reduce": r"\breduc(?:e|es|ed|ing|tion)\b|\bcut(?:s)?\s+(?:the|its)\s+(?:error|loss|mae|time)",
    "forgets": r"\bforg(?:ets|ot)\b|\bha(?:s|ve|d)\s+(?:\w+\s+)?forgotten\b",
    "curve moves": rf"\b(?:error|loss|mae|accuracy|perplexity|curve)s?\s+(?:\w+\s+){{0,2}}?"
    rf"(?:{_METRIC_MOVES})\b",
    "figure": r"\d[\d,]*(?:\.\d+)?\s*(?:°\s*C|nats?(?:/| per )char\w*|bits?(?:/| per )char\w*|"
    r"s/epoch|s per epoch|seconds per epoch|minutes per epoch|% accuracy)"
    r"|\b(?:mae|accuracy|perplexity)\s+(?:of\s+|is\s+|was\s+|=\s*)?\d"
    r"|\d\.\d+\s+(?:against|vs\.?|versus)\s+\d",
}
# Uses of those words that report no outcome: a target ("the baseline to beat", "must beat"),
# overfitting as a topic ("dropout against overfitting"), a stopping rule ("without improvement").
NOT_AN_OUTCOME = re.compile(
    r"\b(?:baseline|anchor|number|score|model|figure|floor|target|record)s?\s+to\s+beat\b|"
    r"\bmust\s+beat\b|\b(?:against|about|of|for|on|to|what|called)\s+(?:over|under)-?fitting\b|"
    r"\b(?:without|no|any)\s+improv\w*",
    re.IGNORECASE,
)
_TERMS = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in OUTCOME_TERMS.items()]

# ---------------------------------------------------------------------------------------------
# 3. Licences.

SOURCE = re.compile(
    r"\bthe\s+book(?:'s)?\b|deep\s+learning\s+with\s+python|\bchollet\b|\bet\s+al\b|"
    r"\bpublish(?:es|ed)?\b|\breport(?:s|ed)\b|\baccording\s+to\b",
    re.IGNORECASE,
)
CITATION = re.compile(
    r"\b[A-Z][a-z]+(?:\s+(?:and|&)\s+[A-Z][a-z]+)?,?\s+\(?(?:19|20)\d\d\)?|"
    r"\b(?:19|20)\d\d-\d\d-\d\d\b"  # a dated measurement: "measured on ..., 2026-11-27"
)
MODAL = re.compile(
    r"\b(?:may|might|would|should|can(?!not|'t|’t)|could(?!\s+not|n't|n’t)|tends?\s+to|"
    r"tended\s+to|likely|unlikely|expect\w*|meant\s+to|supposed\s+to|intended\s+to|"
    r"designed\s+to|aims?\s+to|in\s+principle|hope\w*|hypothes\w*)\b",
    re.IGNORECASE,
)
CONDITION = re.compile(r"\b(?:if|whether|unless)\b", re.IGNORECASE)
OPENING_CONDITION = re.compile(r"^\W*(?:and\s+|but\s+)?(?:when|whenever|once)\b", re.IGNORECASE)
TEMPORAL_CONDITION = re.compile(r"\b(?:once|until|as\s+soon\s+as)\s+[^,]*$", re.IGNORECASE)
INSTRUCTION = re.compile(
    r"^\W*(?:\d+\.\s*)?(?:now,?\s+|then,?\s+|first,?\s+)?(?:look|compare|watch|check|see|note|"
    r"notice|try|ask|predict|guess|find|measure|plot|count|decide|judge|read|follow|test|tell|"
    r"explain|say|describe|think|consider|estimate|work\s+out)\b",
    re.IGNORECASE,
)
# A clause about this run cannot borrow the book's authority ("never both mixed"); a clause that
# refers back to a source named earlier in its sentence or paragraph ("its GRU reached 0.2644")
# can.
OURS = re.compile(r"\b(?:our|ours|we|here|this\s+run|this\s+notebook)\b", re.IGNORECASE)
# "its", "their", "there", "that run" anywhere in the clause; a bare "it" or "they" only before
# the term, as its subject ("it measured 0.273"), not as its object ("our GRU beat it").
BACK_REFERENCE = re.compile(
    r"\b(?:its|their|there|(?:that|the\s+same)\s+(?:run|machine|cpu|gpu|measurement)|"
    r"those\s+runs)\b",
    re.IGNORECASE,
)
SUBJECT_BACK_REFERENCE = re.compile(r"\b(?:it|they)\b", re.IGNORECASE)
# "does not say which is faster", "depends on whether": a question embedded in a sentence
EMBEDDING = re.compile(
    r"\b(?:say|says|tell|tells|show|shows|know|decide|decides|determine|determines|ask|asks|"
    r"depends?\s+on|find\s+out)\s+(?:\w+\s+){0,2}?(?:whether|which|what|if|how)\b",
    re.IGNORECASE,
)
POINTER = re.compile(r"\bverdicts?\b|\bprinted\b", re.IGNORECASE)
INTERROGATIVE = re.compile(
    r"\b(?:whether|if|where|when|which|what|how\s+(?:much|far|many|well|often|fast|long|big|"
    r"large|close|quickly|slowly))\b",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r"[;:]|\s[—–-]\s|—|–")
WHY_QUESTION = re.compile(
    r"^\W*(?:why|how\s+come)\b|\b(?:isn't|doesn't|didn't|wasn't)\s+it\?$", re.IGNORECASE
)


@dataclass(frozen=True)
class Finding:
    where: str
    term: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.term!r} in {self.text!r}"


def clause_around(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The clause holding ``sentence[start:end]``: (its text before the match, its whole text)."""
    boundaries = [m.end() for m in CLAUSE_END.finditer(sentence, 0, start)]
    first = boundaries[-1] if boundaries else 0
    after = CLAUSE_END.search(sentence, end)
    last = after.start() if after else len(sentence)
    return sentence[first:start], sentence[first:last]


def names_a_source(text: str) -> bool:
    return bool(SOURCE.search(text) or CITATION.search(text))


def licence(sentence: str, start: int, end: int, source_before: bool = False) -> str | None:
    """Why the outcome term at ``sentence[start:end]`` is not a free-standing claim, or None.

    ``source_before``: an earlier sentence of the same paragraph names a source.
    """
    before, clause = clause_around(sentence, start, end)
    asked = clause.rstrip(" )*_\"'”’")
    if asked.endswith("?") and not WHY_QUESTION.search(asked):
        return "question"
    if re.search(r"\d", sentence) and not OURS.search(clause):
        if names_a_source(clause):
            return "attributed"
        earlier = source_before or names_a_source(sentence[: start - len(before)])
        if earlier and (BACK_REFERENCE.search(clause) or SUBJECT_BACK_REFERENCE.search(before)):
            return "attributed"
    modal = list(MODAL.finditer(before))
    if (
        modal
        and len(before[modal[-1].end() :].split()) <= 8
        and "," not in before[modal[-1].end() :]
    ):
        return "hypothetical"
    if CONDITION.search(before):
        return "conditional"
    if OPENING_CONDITION.search(before) and "," not in before or TEMPORAL_CONDITION.search(before):
        return "conditional"
    looking = INSTRUCTION.search(before) or POINTER.search(clause) or EMBEDDING.search(before)
    if looking and INTERROGATIVE.search(before):
        return "instruction"
    return None


def outcome_terms(text: str):
    """Every outcome term in ``text``: (name, start, end)."""
    exempt = [match.span() for match in NOT_AN_OUTCOME.finditer(text)]
    for name, pattern in _TERMS:
        for match in pattern.finditer(text):
            if not any(start <= match.start() and match.end() <= end for start, end in exempt):
                yield name, match.start(), match.end()


def free_standing(sentence: str, source_before: bool = False) -> list[str]:
    """The outcome terms in one sentence that no licence covers."""
    return [
        name
        for name, start, end in outcome_terms(sentence)
        if licence(sentence, start, end, source_before) is None
    ]


# ---------------------------------------------------------------------------------------------
# 1. Reading markdown into sentences.

_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|ed|ch|vs|cf|al|Fig|No|approx)\.", re.IGNORECASE)


def plain_text(markdown: str) -> str:
    """Markdown without code blocks, maths, markup and link targets; inline code kept as a token."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    text = re.sub(r"\$\$.*?\$\$", " FORMULA ", text, flags=re.DOTALL)
    text = re.sub(r"\$[^$\n]+\$", " FORMULA ", text)
    text = re.sub(r"`[^`\n]*`", " CODE ", text)
    # a word or two in quotes is named, not used: "worst" as a sentiment word, "Faster."
    text = re.sub(
        r"\"[^\"\n]*\"|“[^”\n]*”",
        lambda m: " QUOTE " if len(m.group(0).split()) <= 3 else m.group(0),
        text,
    )
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>\n]+>", " ", text)
    return re.sub(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)", "", text)


def paragraphs(markdown: str) -> list[tuple[bool, list[str]]]:
    """(is a heading, its sentences) for each heading, list item, table row and paragraph."""
    blocks: list[tuple[bool, str]] = []
    current: list[str] = []
    for line in plain_text(markdown).splitlines():
        stripped = line.strip()
        starts_item = re.match(r"^(?:#+\s|[-*+]\s|\d+[.)]\s|\|)", stripped)
        if not stripped or starts_item:
            if current:
                blocks.append((False, " ".join(current)))
            current = []
            if stripped.startswith("#") or stripped.startswith("|"):
                blocks.append((stripped.startswith("#"), stripped.strip("# |")))
                continue
        if stripped:
            current.append(stripped)
    if current:
        blocks.append((False, " ".join(current)))
    result = []
    for heading, block in blocks:
        shielded = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "\0"), block)
        parts = re.split(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])", shielded)
        result.append((heading, [p.replace("\0", ".").strip() for p in parts if p.strip()]))
    return result


def sentences(markdown: str) -> list[str]:
    """Headings, list items, table rows and the sentences of each paragraph, one string each."""
    return [sentence for _, block in paragraphs(markdown) for sentence in block]


REFERENCES_HEADING = re.compile(r"^(?:references|sources|further\s+reading)\b", re.IGNORECASE)


def prose_findings(markdown: str, where: str) -> list[Finding]:
    """Free-standing outcome terms in a piece of prose; a reference list is left alone."""
    found, in_references = [], False
    for heading, block in paragraphs(markdown):
        if heading:
            in_references = bool(REFERENCES_HEADING.match(block[0] if block else ""))
        if in_references:
            continue
        source_before = False
        for sentence in block:
            found += [
                Finding(where, term, sentence) for term in free_standing(sentence, source_before)
            ]
            source_before = source_before or names_a_source(sentence)
    return found


# ---------------------------------------------------------------------------------------------
# 1, 4, 5. Reading code: comments and docstrings, plot text, printed strings.

PLOT_CALLS = {
    "title",
    "set_title",
    "suptitle",
    "xlabel",
    "ylabel",
    "set_xlabel",
    "set_ylabel",
    "text",
    "figtext",
    "annotate",
    "legend",
    "set_label",
    "set_text",
}
PLOT_KEYWORDS = {"title", "label", "xlabel", "ylabel", "suptitle"}


def literal_parts(node: ast.AST) -> list[str]:
    """The literal text of a string constant or an f-string (its constant parts, joined)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
        ]
    return []


def _bind(bindings: dict[str, list[ast.AST]], target: ast.AST, value: ast.AST) -> None:
    if isinstance(target, ast.Name):
        bindings.setdefault(target.id, []).append(value)
    elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
        for sub_target, sub_value in zip(target.elts, value.elts, strict=False):
            _bind(bindings, sub_target, sub_value)


def name_bindings(trees: list[ast.AST]) -> dict[str, list[ast.AST]]:
    """What the notebook binds to each name: assigned values, and the items of literal loops."""
    bindings: dict[str, list[ast.AST]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    _bind(bindings, target, node.value)
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
                _bind(bindings, node.target, node.value)
            elif isinstance(node, (ast.For, ast.comprehension)) and isinstance(
                node.iter, (ast.List, ast.Tuple)
            ):
                for item in node.iter.elts:
                    _bind(bindings, node.target, item)
    return bindings


def resolve_strings(node: ast.AST, bindings, depth: int = 0) -> list[str]:
    """Every literal text ``node`` may carry: its own, and through the names it uses."""
    texts = []
    for sub in ast.walk(node):
        texts += literal_parts(sub)
        if isinstance(sub, ast.Name) and depth < 3:
            for value in bindings.get(sub.id, []):
                texts += resolve_strings(value, bindings, depth + 1)
    return texts


def plot_strings(tree: ast.AST, bindings) -> list[str]:
    """The text a code cell hands to a plot: titles, axis labels, legend labels, annotations."""
    texts = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in PLOT_CALLS:
            for argument in node.args:
                texts += resolve_strings(argument, bindings)
        for keyword in node.keywords:
            if keyword.arg in PLOT_KEYWORDS:
                texts += resolve_strings(keyword.value, bindings)
    return [text for text in texts if text.strip()]


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _chosen_by_comparison(node: ast.AST, parents) -> bool:
    """Whether a literal is one branch of a decision: an ``if``, a conditional expression, or an
    element of a container indexed by a comparison."""
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, ast.Module):
        if isinstance(parent, ast.IfExp) and child is not parent.test:
            return True
        if isinstance(parent, (ast.If, ast.Match)) and child is not getattr(parent, "test", None):
            return True
        if (
            isinstance(parent, ast.Subscript)
            and child is parent.value
            and any(isinstance(n, (ast.Compare, ast.BoolOp)) for n in ast.walk(parent.slice))
        ):
            return True
        child, parent = parent, parents.get(parent)
    return False


def _docstrings(tree: ast.AST) -> set[ast.AST]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and literal_parts(body[0].value):
                found.add(body[0].value)
    return found


def comments(source: str) -> list[str]:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    return [t.string.lstrip("#").strip() for t in tokens if t.type == tokenize.COMMENT]


def parse(source: str) -> ast.AST | None:
    """A code cell as Python, with IPython's magics and shell escapes blanked out."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def code_findings(sources: list[str], where: str) -> dict[str, list[Finding]]:
    """Findings in a notebook's code cells, by kind: prose (comments, docstrings), plot text and
    printed strings."""
    trees = [parse(source) for source in sources]
    bindings = name_bindings([tree for tree in trees if tree is not None])
    found: dict[str, list[Finding]] = {"prose": [], "plot": [], "printed": []}
    for index, (source, tree) in enumerate(zip(sources, trees, strict=True)):
        here = f"{where}, code cell {index}"
        for comment in comments(source):
            found["prose"] += prose_findings(comment, f"{here} (comment)")
        if tree is None:
            continue
        docstrings = _docstrings(tree)
        for node in docstrings:
            for text in literal_parts(node):
                found["prose"] += prose_findings(text, f"{here} (docstring)")
        plotted = plot_strings(tree, bindings)
        for text in plotted:
            found["plot"] += [
                Finding(f"{here} (plot text)", name, text) for name, _, _ in outcome_terms(text)
            ]
        parents = _parents(tree)
        for node in ast.walk(tree):
            if node in docstrings or not isinstance(node, (ast.Constant, ast.JoinedStr)):
                continue
            if isinstance(parents.get(node), ast.JoinedStr):
                continue  # read as part of its f-string
            for text in literal_parts(node):
                if text in plotted or _chosen_by_comparison(node, parents):
                    continue
                found["printed"] += [
                    Finding(f"{here} (string)", name, text) for name, _, _ in outcome_terms(text)
                ]
    return found


def notebook_findings(path: Path) -> dict[str, list[Finding]]:
    notebook = nbformat.read(path, as_version=4)
    found = code_findings(
        [cell.source for cell in notebook.cells if cell.cell_type == "code"], path.stem
    )
    found["markdown"] = [
        finding
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        for finding in prose_findings(cell.source, f"{path.stem}, cell {index}")
    ]
    return found


# ---------------------------------------------------------------------------------------------
# 6. The checker's own tests.

BAD_PROSE = [
    # the four the issue quoted, and the sentences they came from
    "Training keeps improving, validation turns back.",
    "Together they delay overfitting, and dropout delays overfitting.",
    "A stride between window starts removes near-duplicate examples at no cost in accuracy.",
    "A GRU beats it and then overfits.",
    "## A GRU that beats the baseline, then overfits",
    "Its training error keeps falling while its validation error stalls and turns back up.",
    "Measured on a full-size stand-in, a GRU reaches the same validation error with a window "
    "every hour as every 4 hours, at four times the seconds per epoch.",
    "On a GPU the layer falls back to the generic loop and trains several times slower.",
    "The dense model struggles to beat it.",
    # the same claims reworded, to show it is not a phrase list
    "Here the stacked GRU outperformed the single layer.",
    "Dropout won by a wide margin.",
    "The model with dropout did best.",
    "The GRU's validation MAE rose after epoch 4.",
    "Reversing hurts here.",
    "## Why reversing hurts here",
    "Why does reversing hurt here?",
    "Stacking gained next to nothing: the forecast is limited by the data.",
    "The CNN-RNN comes close to the plain GRU (0.273 against 0.2644 normalised MAE).",
    "Our GRU reached 2.31 °C on validation.",
    "The bidirectional layer costs about twice as much per epoch.",
    "Reversed reviews classify about as well.",
    "A Conv1D model is a poor forecaster.",
    "In the reference runs, stacking gained next to nothing.",
    "The book is a good read; our stack beats its 0.2633.",
    "See how dropout delays overfitting.",
    "A dense model cannot beat the baseline.",
    "The GRU could not beat the baseline.",
    "When trained for 20 epochs, the GRU beats the baseline.",
    "The model, which improves on the baseline, is kept.",
    "It is worth twice the cost.",
    "The state has largely forgotten them by the end.",
    "Six epochs reach about 1.66 nats/char, well below the 1.88 anchor.",
    "The book measured 0.2633 for its stack, and ours beats it.",
    "The book measured 0.2644. Our GRU beat it.",
    "The book measured 0.2644. The stacked GRU beat it.",
    "The GRU beats the baseline; does dropout help?",
    "The GRU, which can be trained quickly, beats the baseline.",
]

GOOD_PROSE = [
    # attributed, with the number, in the same clause
    "On the real record the book measured 0.2619 against 0.2644.",
    "Deep Learning with Python (1st ed., ch. 6) reports a best validation MAE of 0.2644 for "
    "GRU(32) after 20 epochs of 500 batches.",
    "In the book, stacking gained little over one GRU with dropout (0.2633 against 0.2619).",
    "Gal and Ghahramani (2016) derived dropout that uses one mask per sequence.",
    "The book (Deep Learning with Python, 1st ed.) makes the same comparison: its SimpleRNN "
    "reached 0.846 best validation accuracy.",
    "Deep Learning with Python trained a Conv1D + GRU. On the real record it reached a best "
    "validation MAE of 0.273, against 0.2644 for its plain GRU.",
    # questions, instructions to look, pointers at a computed verdict
    "Does the GRU get better, or only slower?",
    "Depth or width: which does better here?",
    "Compare where each validation curve reaches its minimum.",
    "Watch whether the training error keeps falling while the validation error turns back up.",
    "The verdict below says whether dropout moved the best epoch, and which run reached the "
    "lower validation MAE.",
    "The parameter count alone does not say which is faster.",
    "Which was faster here is the verdict printed above.",
    # hypotheses and conditions
    "Dropout may delay overfitting, at a price in seconds per epoch.",
    "More units or more layers can then find more structure.",
    "If the single layer underfits, its training error stays close to its validation error.",
    "When the single layer underfits (training error close to validation error), add units.",
    "If the GRU overfits, regularise it first.",
    "A regularised network would need more epochs to converge.",
    "Early stopping ends the run once validation stops improving.",
    "A fresh mask at every step would inject noise that accumulates along the sequence.",
    # descriptions of the set-up, not outcomes
    "Duplicated timestamps are dropped, and the missing values are interpolated in time.",
    "The **delay** of 144 rows puts the target 24 hours after the window.",
    "`recurrent_dropout` rules out cuDNN: the kernel has no place for a mask on the state.",
    "Dropout against overfitting: what each mask zeroes.",
    "The best epoch's weights are kept for the test.",
    "We lower-case the text and split it into words.",
    "Shuffled training windows, in batches of 128; validation and test windows in time order.",
    'Units whose input gate opens on a sentiment word ("great", "worst").',
    "## The baseline to beat: the same as 24 hours ago",
    "Stop after four epochs without improvement.",
    "Glassner's cell adds the input to the delayed state.",
    "### References\n\n- Chollet, F. Deep Learning with Python, 1st ed.: the GRU beat the "
    "baseline.",
]


@pytest.mark.parametrize("sentence", BAD_PROSE)
def test_checker_flags_free_standing_claims(sentence):
    assert prose_findings(sentence, "example"), f"not flagged: {sentence!r}"


@pytest.mark.parametrize("sentence", GOOD_PROSE)
def test_checker_passes_attributed_and_open_sentences(sentence):
    assert not prose_findings(sentence, "example"), prose_findings(sentence, "example")


def test_sentences_are_split_at_their_ends_but_not_at_abbreviations():
    text = (
        "## The scores\n\nDeep Learning with Python, 1st ed. ch. 6 measured 0.2644. "
        "Ours is printed below.\n\n- one item\n- two `code.here`"
    )
    assert sentences(text) == [
        "The scores",
        "Deep Learning with Python, 1st ed. ch. 6 measured 0.2644.",
        "Ours is printed below.",
        "- one item",
        "- two  CODE",
    ]


def test_an_attribution_covers_only_its_own_clause_and_sentence():
    attributed = "In the book, stacking gained little (0.2633 against 0.2619)"
    assert not prose_findings(attributed + ".", "example")
    assert prose_findings(attributed + ": the network size does not help.", "example")
    assert prose_findings(attributed + ". Here it gained little too.", "example")


PLOT_CELLS_BAD = [
    'axis.set_title("Validation error: dropout delays overfitting")',
    'plot_history(h, title="GRU(32): training keeps improving, validation turns back")',
    'figure.suptitle("the stacked GRU wins")',
    'plt.title(f"{name}: better than the baseline")',
    'TITLE = "reversing hurts"\naxis.set_title(TITLE)',
    'for label, h in [("GRU, overfits", a), ("GRU with dropout", b)]:\n'
    '    axis.plot(h, label=f"{label}, validation")',
    'axis.set_ylabel("MAE (°C), lower is better")',
    'axis.legend(["plain GRU", "dropout GRU (faster)"])',
]
PLOT_CELLS_GOOD = [
    'axis.set_title("Validation MAE per epoch: GRU(32) with and without dropout")',
    'plot_history(h, ["loss"], ylabel="MAE (°C)", title="GRU(32): training and validation MAE")',
    'for label, h in [("GRU", a), ("GRU with dropout", b)]:\n'
    '    axis.plot(h, label=f"{label}, validation")\naxis.set_title("best epoch marked")',
]


@pytest.mark.parametrize("source", PLOT_CELLS_BAD)
def test_checker_flags_outcome_words_in_plot_text(source):
    assert code_findings([source], "example")["plot"], source


@pytest.mark.parametrize("source", PLOT_CELLS_GOOD)
def test_checker_passes_plot_text_that_names_what_is_plotted(source):
    assert not any(code_findings([source], "example").values()), source


PRINTED_BAD = [
    'print("dropout delays overfitting")',
    'print(f"the GRU beats the baseline: {mae:.2f} °C")',
    'verdict = "stacking helps"\nprint(verdict)',
    "# the GRU beats the baseline here\nprint(mae)",
    'def f():\n    """Train the GRU, which overfits."""',
]
PRINTED_GOOD = [
    "print(f\"{mae:.2f} °C, {'below' if mae < base else 'not below'} the baseline\")",
    'word = "lower" if a < b else "higher"\nprint(word)',
    'if a < b:\n    print("dropout moved the best epoch later")\nelse:\n'
    '    print("dropout did not move the best epoch later")',
    'print(("higher", "lower")[a < b])',
    "# a window every 4 hours\nprint(mae)",
]


@pytest.mark.parametrize("source", PRINTED_BAD)
def test_checker_flags_unconditional_claims_in_code(source):
    found = code_findings([source], "example")
    assert found["printed"] or found["prose"], source


@pytest.mark.parametrize("source", PRINTED_GOOD)
def test_checker_passes_claims_chosen_by_a_comparison(source):
    assert not any(code_findings([source], "example").values()), source


# ---------------------------------------------------------------------------------------------
# The notebooks.


def _report(found: dict[str, list[Finding]]) -> str:
    return "\n".join(f"[{kind}] {finding}" for kind, items in found.items() for finding in items)


def test_every_notebook_is_read():
    assert len(NOTEBOOKS) == 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_no_free_standing_outcome_claims(path):
    found = notebook_findings(path)
    assert not any(found.values()), (
        "outcome claims that are neither computed nor attributed (compute them in a printed "
        "verdict, attribute them with the source's number, or make them a question):\n"
        + _report(found)
    )


def test_plotting_helpers_set_no_outcome_titles():
    for module in ("plotting.py", "diagrams.py"):
        source = (ROOT / "src" / "course_utils" / module).read_text()
        assert not code_findings([source], module)["plot"], module
