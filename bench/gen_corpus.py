#!/usr/bin/env python3
"""Writes a seeded corpus of marketing lessons as Lessonbook interchange JSONL.

Usage: gen_corpus.py --count N --seed S --workspace TEAMID --out FILE [--end UNIXTIME]

The same count, seed and end always give the same file. Lessons read like what marketing teams write
down after a campaign: a one-line title with a change and its effect, one to four sentences of
body, section tags, an outcome, often a campaign. Words follow a Zipf-like law: a few hundred
marketing words are everywhere (over 5% of lessons), most of the vocabulary is in the middle,
and a long tail of product, partner, audience and campaign names makes words found in under 0.1%
of lessons at every corpus size (what the benchmark's rare query group is drawn from).
"""

import argparse
import bisect
import itertools
import json
import random
import sys

SECTIONS = ["seo", "email", "landing-pages", "social", "offers", "events",
            "analysts-influencers", "testing", "content", "paid"]
OUTCOMES = ["worked", "flopped", "change", "insight"]
OUTCOME_WEIGHTS = [35, 25, 20, 20]

CHANNELS = {
    "seo": ["organic search", "blog posts", "pillar pages", "internal links", "meta descriptions",
            "featured snippets", "keyword clusters", "schema markup", "backlinks", "page speed"],
    "email": ["subject lines", "preheaders", "newsletter", "drip sequence", "welcome series",
              "send time", "plain-text emails", "nurture track", "re-engagement emails",
              "unsubscribe page"],
    "landing-pages": ["hero image", "signup form", "pricing page", "testimonials", "call to action",
                      "above the fold copy", "demo request form", "trust badges", "exit popup",
                      "comparison table"],
    "social": ["LinkedIn posts", "carousel posts", "short videos", "Instagram stories",
               "employee advocacy", "community replies", "TikTok clips", "live sessions",
               "hashtags", "polls"],
    "offers": ["free trial", "discount code", "annual plan offer", "bundle", "free shipping",
               "referral credit", "limited-time offer", "loyalty points", "early-bird price",
               "money-back guarantee"],
    "events": ["webinar", "trade show booth", "roundtable dinner", "user conference",
               "workshop", "meetup", "virtual summit", "partner co-host", "speaker slot",
               "booth giveaway"],
    "analysts-influencers": ["analyst briefing", "influencer review", "podcast interview",
                             "creator partnership", "expert quote", "analyst report",
                             "guest article", "affiliate post", "ambassador program",
                             "press release"],
    "testing": ["A/B test", "holdout group", "multivariate test", "sample size",
                "control variant", "significance threshold", "test duration",
                "feature flag", "split URL test", "pre-registration"],
    "content": ["case study", "ebook", "checklist", "explainer video", "infographic",
                "customer story", "how-to guide", "template library", "benchmark report",
                "FAQ page"],
    "paid": ["search ads", "retargeting", "lookalike audience", "display banners",
             "bid strategy", "negative keywords", "ad frequency cap", "video ads",
             "shopping ads", "brand keywords"],
}

METRICS = ["open rate", "click-through rate", "conversion rate", "signups", "demo requests",
           "cost per lead", "cost per acquisition", "bounce rate", "time on page", "replies",
           "attendance", "pipeline", "revenue", "unsubscribes", "return on ad spend",
           "qualified leads", "trial starts", "churn", "engagement", "shares"]

CHANGES = ["Adding", "Removing", "Shortening", "Personalizing", "Moving", "Testing",
           "Rewriting", "Localizing", "Simplifying", "Scheduling", "Splitting", "Dropping",
           "Doubling", "Automating", "Segmenting", "Refreshing", "Pausing", "Bundling"]

EFFECTS_UP = ["lifted", "raised", "doubled", "improved", "boosted", "grew"]
EFFECTS_DOWN = ["cut", "lowered", "hurt", "dropped", "halved", "reduced"]

AUDIENCES = ["enterprise buyers", "small businesses", "developers", "agencies", "students",
             "returning customers", "new visitors", "mobile users", "European accounts",
             "trial users", "churned customers", "partners", "procurement teams",
             "marketing managers", "founders", "retail shoppers", "nonprofits", "healthcare",
             "fintech", "education"]

# Sentence frames for the body; {x} slots are filled from the lists above and the long tail.
FRAMES = [
    "We tried {thing} for {audience} during {campaign} and {metric} went {direction} {n}%.",
    "{thing_cap} worked better with {audience} than with {audience2}.",
    "The {thing} version from {name} beat the control on {metric} after {n} days.",
    "Next time start the {thing} earlier; {audience} needed more than {n} days to respond.",
    "{name} asked why {metric} moved; the answer was the {thing}, not the {thing2}.",
    "Budget spent on {thing2} would have done more for {metric} than {thing}.",
    "Do not run {thing} and {thing2} in the same week: {metric} cannot be attributed.",
    "Copy that named {name} outperformed generic copy for {audience}.",
    "The {name} partnership brought {n} {metric_plain} but few stayed past the first month.",
    "Sales said leads from {thing} were warmer; {metric} confirms it for {audience}.",
    "We measured {metric} per channel: {thing} led, {thing2} trailed.",
    "Keep {thing} short for {audience}; long versions lost {metric}.",
    "Legal review of {thing} took {n} days and delayed {campaign}.",
    "A/B results were noisy until the sample reached {n} hundred per variant.",
    "The {season} timing mattered more than the {thing} itself.",
    "Tracking broke on {thing2} for a week, so {metric} for {campaign} is an estimate.",
]

SEASONS = ["January", "spring", "summer", "back-to-school", "Black Friday", "holiday",
           "end-of-quarter", "year-end", "Q1", "Q2", "Q3", "Q4"]

SYLLABLES = ["ka", "lo", "mi", "ra", "ven", "tor", "zu", "bel", "ix", "on", "dra", "qua", "sel",
             "mar", "no", "vi", "tek", "lum", "pa", "ro", "sy", "gen", "ta", "fi", "or", "bri",
             "zen", "cor", "ly", "nex", "al", "pho", "ru", "dex", "ki", "sa", "mo", "xi", "ter",
             "quil"]


def make_long_tail(rng, size):
    """Distinct made-up names (products, partners, agencies, code names), capitalised."""
    names = set()
    out = []
    while len(out) < size:
        n = rng.choice((2, 2, 3, 3, 4))
        name = "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()
        if name not in names:
            names.add(name)
            out.append(name)
    return out


class Zipf:
    """Draws items with probability proportional to 1 / (rank + offset) ** s."""

    def __init__(self, items, s=1.0, offset=1.0):
        self.items = items
        weights = [1.0 / (i + offset) ** s for i in range(len(items))]
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def draw(self, rng):
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.total)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--workspace", default="")
    ap.add_argument("--out", required=True)
    ap.add_argument("--end", type=int, default=1_767_225_600,
                    help="Unix time of the newest lesson; lessons span the 4 years before it")
    args = ap.parse_args()
    if args.count <= 0:
        sys.exit("gen_corpus: --count must be positive")

    rng = random.Random(args.seed)
    # The tail grows with the corpus so rare words stay rare at every size.
    tail = make_long_tail(random.Random(args.seed + 1), max(20000, args.count // 2))
    rng_tail = Zipf(tail, s=0.9, offset=50.0)
    all_things = [t for sec in SECTIONS for t in CHANNELS[sec]]
    things_z = Zipf(rng.sample(all_things, len(all_things)), s=0.8)
    metrics_z = Zipf(METRICS, s=0.9)
    audience_z = Zipf(AUDIENCES, s=0.9)
    campaigns = [f"{rng.choice(SEASONS)} {name} launch" for name in make_long_tail(
        random.Random(args.seed + 2), max(300, args.count // 40))]
    campaign_z = Zipf(campaigns, s=0.7, offset=5.0)
    authors = [f"U{rng.randrange(16**8):08X}" for _ in range(max(50, args.count // 200))]
    authors_z = Zipf(authors, s=0.8)
    span = 4 * 365 * 86400
    start = args.end - span

    with open(args.out, "w", encoding="utf-8") as out:
        for i in range(args.count):
            section = rng.choice(SECTIONS)
            thing = rng.choice(CHANNELS[section]) if rng.random() < 0.6 else things_z.draw(rng)
            metric = metrics_z.draw(rng)
            up = rng.random() < 0.6
            n = rng.choice((3, 5, 8, 10, 12, 15, 20, 25, 30, 40, 50))
            title = (f"{rng.choice(CHANGES)} {thing} "
                     f"{rng.choice(EFFECTS_UP if up else EFFECTS_DOWN)} {metric} by {n}%")
            if rng.random() < 0.25:
                title += f" for {audience_z.draw(rng)}"
            has_campaign = rng.random() < 0.7
            campaign = campaign_z.draw(rng) if has_campaign else ""
            sentences = []
            for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
                sentences.append(rng.choice(FRAMES).format(
                    thing=thing, thing_cap=thing[:1].upper() + thing[1:],
                    thing2=things_z.draw(rng), audience=audience_z.draw(rng),
                    audience2=audience_z.draw(rng), metric=metrics_z.draw(rng),
                    metric_plain=metrics_z.draw(rng), direction="up" if up else "down",
                    n=rng.choice((2, 3, 4, 6, 7, 9, 11, 14, 21, 30)), name=rng_tail.draw(rng),
                    campaign=campaign or "the launch", season=rng.choice(SEASONS)))
            tags = [section]
            if rng.random() < 0.35:
                tags.append(rng.choice(SECTIONS))
            lesson = {
                "title": title,
                "body": " ".join(sentences),
                "tags": sorted(set(tags)),
                "outcome": rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0],
                "campaign": campaign,
                "author": authors_z.draw(rng),
                "created_at": _rfc3339(start + rng.randrange(span)),
            }
            if args.workspace:
                lesson["workspace"] = args.workspace
            out.write(json.dumps(lesson, ensure_ascii=False))
            out.write("\n")


def _rfc3339(t):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


if __name__ == "__main__":
    main()
