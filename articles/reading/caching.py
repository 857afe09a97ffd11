"""What readers' pages and the pieces they are made of depend on, and the keeping of
those pieces (the pages themselves are kept by articles/reading/page_cache.py).

What a kept page or piece shows is named by **areas**, each with its own count of
changes in the database (``PublicArea``, written in the transaction that makes the
change, so that every process and command agrees): one article (``article:42``), the
list of one company, topic, category or author (``topic:7``), the set of live articles
(``live``), or anything at all (``any``). A page names the areas it shows while it is
made (``shows()``); its stored copy is used while none of them has changed, so a publish
or a correction drops only the pages that show that article or a list it joins or leaves
(articles/reading/public_changes.py says which). A page that names nothing is made again after
any change. Nothing is deleted one page at a time: an outdated copy is simply not used,
and the cache's own expiry (``EDITORIAL_PAGE_CACHE_SECONDS``) clears it away.

Above the areas, a **generation** changes with whatever changes every page (a renamed
tag or category, the house style, an import). ``remember`` keeps the results of costly
queries (tag counts, related articles) the same way as pages; ``remember_each`` pieces
that many pages show (cards).
"""

import contextvars
import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.connection import ConnectionProxy

from articles.models import Article, PublicArea, PublicGeneration

logger = logging.getLogger(__name__)
# Apart from the rate limits' counters (settings.CACHES), so that pages never push them out.
cache = ConnectionProxy(caches, "pages")

GENERATION_KEY = "public-pages:generation"
AREA_KEY = "public-area:{name}"
# Every change readers could see counts in this area; a page that names no area of its
# own depends on it.
ANY = "any"
# Which articles are live: a publish, an unpublish, a scheduled article coming due.
LIVE = "live"
# What editors put on the front page, and in what order (articles/publishing/front_page.py).
FRONT = "front"
ANY_KEY = AREA_KEY.format(name=ANY)
# --------------------------------------------------------------------------------
# The generation

# Caches each process keeps to itself: they hear of no other process's change.
PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"}


def generation():
    """The current generation: a number that changes whenever what every page shows
    changes (see the module's docstring)."""
    return _generation(cache.get(GENERATION_KEY))


def _generation(state):
    """The generation from its cached ``state``, or from the database. The cache keeps it
    with the moment the next scheduled article comes due: then the pages that show that
    article are told (``public_changes.came_due``), though nothing was written."""
    global _last_known
    if state is not None and not _came_due(state):
        _last_known = state[0]
        return _last_known
    try:
        _last_known = _read_generation()
    except DatabaseError:
        if _last_known is None:
            raise
        # The database is down: the pages stored under the last generation this process
        # knew are still the best answer readers can get.
        logger.warning("The database is unreachable; serving stored pages of generation %s", _last_known)
    return _last_known


# The generation this process last read, for the moments the database cannot be asked.
_last_known = None


def _came_due(state):
    """Whether the next scheduled article the cached generation ``state`` knows of is due."""
    return state is not None and state[1] is not None and time.time() >= state[1]


def _shared():
    return settings.CACHES["pages"]["BACKEND"] not in PER_PROCESS_CACHES


def _recheck_timeout():
    # A cache of this process's own hears of no other process's change: it asks the
    # database again after EDITORIAL_PAGE_GENERATION_RECHECK seconds.
    return None if _shared() else settings.EDITORIAL_PAGE_GENERATION_RECHECK


# What a scheduled article's time coming means (public_changes.came_due, which moves
# ``due_checked_at`` past it), given when the app is ready: the cache knows when, not what.
_came_due_handler = None


def on_came_due(handler):
    global _came_due_handler
    _came_due_handler = handler


def _read_generation():
    """The generation from the database, cached with the next scheduled time; articles
    that came due unseen (no request looked while the cached one said when) are told
    first, whenever this is read."""
    now = timezone.now()
    # The first scheduled time after the last look: past already if one came due unseen.
    upcoming = (
        Article.objects.scheduled(after=Coalesce(OuterRef("due_checked_at"), Value(now)))
        .order_by("published_at").values("published_at")[:1]
    )
    # The first end of publication (one that has passed is forgotten once taken care of).
    ending = Article.objects.filter(unpublish_at__isnull=False).order_by("unpublish_at").values("unpublish_at")[:1]
    columns = ("counter", Subquery(upcoming), Subquery(ending))
    row = PublicGeneration.objects.values_list(*columns).first()
    if row is None:  # a database emptied since its migration made the row
        PublicGeneration.objects.create(counter=0, due_checked_at=now)
        row = PublicGeneration.objects.values_list(*columns).first()
    counter, *times = row
    upcoming = min((time for time in times if time is not None), default=None)
    if upcoming is not None and upcoming <= now and _came_due_handler is not None:
        _came_due_handler()
        return _read_generation()
    cache.set(GENERATION_KEY, (counter, upcoming.timestamp() if upcoming else None), _recheck_timeout())
    return counter


def content_changed(**kwargs):
    """Every reader's page is out of date: count a new generation in the database, and
    forget the cached one now and again when the transaction commits (a page rendered
    meanwhile still saw the old rows).

    Takes any keyword arguments, so that it can be a signal receiver.
    """
    if not PublicGeneration.objects.update(counter=F("counter") + 1):
        PublicGeneration.objects.create(counter=1, due_checked_at=timezone.now())
    areas_changed([])  # "any" too: what was made meanwhile is not kept
    schedule_changed()


def schedule_changed():
    """A scheduled time was set, moved or taken away: read again when the next one is due."""
    _forget_generation()
    transaction.on_commit(_forget_generation)


def _forget_generation():
    _forget([GENERATION_KEY])


def _forget(keys):
    try:
        cache.delete_many(keys)
    except Exception:
        # The cache server is gone: it serves no old pages either. Say so, and go on.
        logger.exception("Could not forget what the cache knew of a change")


# --------------------------------------------------------------------------------
# Areas


def article_area(pk):
    return f"article:{pk}"


def list_area(kind, pk):
    """The list of one company, topic, category or author (``kind``)."""
    return f"{kind}:{pk}"


def areas_changed(names):
    """What readers see of the areas ``names`` (and so of ``any``) changes in this
    transaction: count it in the database; forget the cached counts now and when the
    transaction commits. (Within ``gathered_areas()``: noted, and counted later.)"""
    gathered = _gathered.get()
    if gathered is not None:
        gathered.update(names)
        return
    names = sorted({*names, ANY})  # one order, so that two changes never wait on each other
    PublicArea.objects.bulk_create([PublicArea(name=name) for name in names], ignore_conflicts=True)
    PublicArea.objects.filter(name__in=names).update(counter=F("counter") + 1)
    keys = [AREA_KEY.format(name=name) for name in names]
    _forget(keys)
    transaction.on_commit(lambda: _forget(keys))


_gathered = contextvars.ContextVar("gathered_areas", default=None)


def gathered_areas():
    """Start noting the areas changes touch instead of counting each change: for a bulk
    write (an import), whose caller counts them once with ``areas_changed(names)`` after
    ``stop_gathering(token)`` gives them back. Returns the token."""
    return _gathered.set(set())


def stop_gathering(token):
    """The areas noted since ``gathered_areas()`` gave ``token``; noting stops."""
    names = _gathered.get() or set()
    try:
        _gathered.reset(token)
    except ValueError:  # (a generator closed in another context)
        _gathered.set(None)
    return names


def area_versions(names):
    """``{name: count of changes}`` of the areas ``names``: from the cache, else from the
    database (and then cached)."""
    keys = {AREA_KEY.format(name=name): name for name in names}
    versions = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
    missing = [name for name in keys.values() if name not in versions]
    if missing:
        versions.update(_read_areas(missing))
    return versions


def _read_areas(names):
    read = {}
    for start in range(0, len(names), 500):  # within any database's limit of parameters
        read.update(PublicArea.objects.filter(name__in=names[start:start + 500]).values_list("name", "counter"))
    versions = {name: read.get(name, 0) for name in names}
    cache.set_many({AREA_KEY.format(name=name): value for name, value in versions.items()}, _recheck_timeout())
    return versions


shown_areas = contextvars.ContextVar("shown_areas", default=None)


def shows(*names):
    """The page being made shows the areas ``names``: its stored copy is used until one of
    them changes. (Outside a page being stored, nothing to note.)"""
    shown = shown_areas.get()
    if shown is not None:
        shown.update(names)


def shows_articles(articles):
    """The page shows ``articles`` (or the articles of these ids)."""
    shows(*(article_area(getattr(article, "pk", article)) for article in articles))


class Kept:
    """Something kept in the cache for as long as what it shows is unchanged: the
    generation and the count of changes of every area it named, read when it was made."""

    def __init__(self, key, found):
        self.key = key
        state = found.get(GENERATION_KEY)
        self.generation = _generation(state)
        self.entry = found.get(key)
        # Articles that have just come due changed what was read with the generation.
        self.any_before = None if _came_due(state) else found.get(ANY_KEY)

    def current(self):
        """The kept value if it is still what would be made now, else ``MISSING``."""
        if self.entry is None:
            return MISSING
        generation, versions, value, *until = self.entry
        if generation != self.generation or (until and until[0] < time.time()):
            # (Its own time is checked here, not only by the store: a store's expiry runs
            # on the store's clock.)
            return MISSING
        seen = (generation, self.any_before)
        if self.any_before is not None and _verified.get(self.key) == seen:
            return value  # nothing at all changed since this process last found it current
        try:
            now = area_versions([*versions, ANY])
        except DatabaseError:
            logger.warning("The database is unreachable; serving what was kept of %s", self.key)
            return value
        if self.any_before is None:  # (it had left a cache of this process's own)
            self.any_before = now[ANY]
        if any(now[name] != version for name, version in versions.items()):
            return MISSING
        if len(_verified) >= _VERIFIED_LIMIT:
            _verified.clear()
        _verified[self.key] = (generation, now[ANY])
        return value

    def start(self):
        """Before making the value: note the count of every change so far."""
        if self.any_before is None:
            self.any_before = area_versions([ANY])[ANY]

    def keep(self, value, names, timeout):
        """Keep ``value``, which shows ``names`` (``any`` if none), unless something
        readers see changed while it was made (it may show some of it, or not)."""
        names = set(names) or {ANY}
        versions = area_versions([*names, ANY])
        if versions[ANY] != self.any_before:
            return
        if ANY not in names:
            del versions[ANY]
        cache.set(self.key, (self.generation, versions, value, time.time() + timeout), timeout)


MISSING = object()

# What this process found current, and the count of all changes ("any") when it did:
# while that count stands still nothing anything shows has changed, and a hit needs one
# round trip to the cache, not two. A shortcut of this process, never the truth.
_verified = {}
_VERIFIED_LIMIT = 10_000


_SAFE_KEY = re.compile(r"[\w:.\-]{1,150}", re.ASCII)


def remember(name, compute, areas=(ANY,)):
    """``compute()``, kept in the cache while the areas ``areas`` are unchanged (and the
    generation): for queries whose cost grows with the archive (tag counts, related
    articles), which then run once after a change instead of on every request.
    ``name`` must say everything the result depends on besides what readers may see;
    ``areas=()``: only on the generation; a function: the areas of the result it is given
    (the articles a list shows, say)."""
    if not _SAFE_KEY.fullmatch(name):  # a slug from the address, say: any text at all
        name = "sha256:" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
    key = f"public-query:{name}"
    try:
        kept = Kept(key, cache.get_many([GENERATION_KEY, key, ANY_KEY]))
        value = kept.current()
        if value is not MISSING:
            return value
        kept.start()
    except Exception:
        logger.exception("The query cache is unreachable; computing without it")
        return compute()
    value = compute()
    try:
        if callable(areas):
            areas = areas(value)
        kept.keep(value, areas or [_GENERATION_ONLY], settings.EDITORIAL_QUERY_CACHE_SECONDS)
    except Exception:
        logger.exception("Could not keep a query's result in the cache")
    return value


# An area nothing changes: what names only it depends on the generation alone.
_GENERATION_ONLY = "generation-only"


def remember_each(kind, items, make, areas_of):
    """``{item: value}`` for every one of ``items`` (strings): pieces that many pages
    show, such as an article's card, each kept in the cache while its areas
    (``areas_of(item)``) and the generation are unchanged. A page made afresh then makes
    only the pieces that changed: after a publish, one card of twenty. ``make(missing)``
    returns ``{item: value}`` for those it can make (an item it leaves out is left out).

    The areas' counts are read *before* a piece is made and kept with it: a change that
    lands while it is made leaves it with an older count, so it is made again next time
    (never kept as current when it is not)."""
    keys = {f"public-piece:{kind}:{item}": item for item in items}
    try:
        found = cache.get_many([GENERATION_KEY, ANY_KEY, *keys])
        state = found.get(GENERATION_KEY)
        generation = _generation(state)
        any_now = None if _came_due(state) else found.get(ANY_KEY)
        values, unsure, missing = {}, {}, []
        for key, item in keys.items():
            entry = found.get(key)
            if entry is None or entry[0] != generation:
                missing.append(key)
            elif any_now is not None and _verified.get(key) == (generation, any_now):
                values[item] = entry[2]
            else:
                unsure[key] = entry
        wanted = {name for key in [*unsure, *missing] for name in areas_of(keys[key])}
        now = area_versions([*wanted, ANY]) if wanted else {ANY: any_now}
        for key, (_, versions, value) in unsure.items():
            if all(now.get(name) == version for name, version in versions.items()):
                values[keys[key]] = value
                _note_verified(key, (generation, now[ANY]))
            else:
                missing.append(key)
    except Exception:
        logger.exception("The cache is unreachable; making every piece afresh")
        return make(list(items))
    if not missing:
        return values
    made = make([keys[key] for key in missing])
    values.update(made)
    try:
        kept = {}
        for key in missing:
            item = keys[key]
            if item in made:
                kept[key] = (generation, {name: now[name] for name in areas_of(item)}, made[item])
                _note_verified(key, (generation, now[ANY]))
        cache.set_many(kept, settings.EDITORIAL_QUERY_CACHE_SECONDS)
    except Exception:
        logger.exception("Could not keep pieces of pages in the cache")
    return values


def _note_verified(key, seen):
    if seen[1] is None:
        return
    if len(_verified) >= _VERIFIED_LIMIT:
        _verified.clear()
    _verified[key] = seen
