#!/usr/bin/env python3
"""Writes N realistic, valid proposal files for the scale benchmark (stdlib only, deterministic).

Usage: benches/gen_proposals.py N OUT_DIR [--content content] [--seed 20260120] [--hugo DIR]

Everything the files may name comes from the content folder at run time: the question and
checklist ids, the phases and directions from framework.yaml; the sentences of the meeting
notes from pages/*.md, the framework's own wording and the shipped proposals' notes; the
answers partly from the shipped proposals' answers to the same question. Only characters of
GB2312 (the built-in PDF font) are written. With --hugo DIR, a Markdown page with the same
notes text is written per proposal (for the Hugo side of benches/scale.sh).
"""

import argparse
import datetime as dt
import json
import pathlib
import random
import re
import sys

# (name, ASCII slug). All in GB2312; every other character written comes from the shipped content.
VENDORS = [
    ("阿里云", "aliyun"), ("火山引擎", "volcengine"), ("腾讯云", "tencentcloud"),
    ("百度智能云", "baiducloud"), ("华为云", "huaweicloud"), ("天翼云", "ctyun"),
    ("京东云", "jdcloud"), ("金山云", "ksyun"), ("移动云", "ecloud"), ("联通云", "unicomcloud"),
]
OUR_PEOPLE = ["张伟（CTO）", "李娜（商务负责人）", "王强（架构师）", "赵敏（测评负责人）",
              "张敏（运维负责人）", "李强（算法负责人）", "赵伟（数据负责人）", "王娜（法务）"]
THEIR_ROLES = ["客户经理", "解决方案架构师", "销售总监", "技术支持工程师", "行业总经理", "技术经理"]
GENERIC_ANSWERS = [
    "对方表示会后一周内提供书面材料。", "口头确认，细则需写入合同。", "尚未给出明确答复，需要进一步确认。",
    "对方表示可以，具体方案下次会议提供。", "需要内部评估后回复。", "已提供书面说明，待我方评估。",
]
PREFIX_ANSWERS = {  # by the category part of a question id (before the dot), when it exists
    "cost": ["基于近三个月实际调用量，综合成本降低约 {pct}%。", "首年额外 {small}% 折扣，不计入长期成本。",
             "支持按量和预留混合计费，可按月调整。", "提供 {k} 万元算力补贴，分两期发放。"],
    "tech": ["实测 P95 延迟 {lat}s。", "专属资源池，不设 QPS 限流。", "愿意提供 PoC，{w} 周，对方承担资源成本。",
             "7×24 小时，P1 问题 15 分钟响应。"],
    "biz": ["可联合发布企业培训 AI 标杆案例。", "愿意作为标杆案例推广。", "希望先承接测评场景，验证后逐步扩大。",
            "接受多供应商策略，不要求独家。"],
}
NOTE_TEMPLATES = [
    "对方称综合成本可降低 **{pct}%**，{data}。",
    "PoC 计划 {w} 周，{pays}。",
    "迁移需要改造调用层，估计 {pw} 人周。",
    "实时对练场景的 P95 延迟为 {lat}s，高峰期{limit}。",
    "{vendor}希望在 {year} 年内扩大合作范围。",
    "我方已声明：多供应商策略不变，不接受排他性条款。",
    "约定 {w} 周内由对方提供成本对比和技术方案。",
    "新客户首年另有 {small}% 折扣，但不计入长期成本。",
]


def gb2312_ok(text):
    try:
        text.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def cjk_count(text):
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


# ---------------------------------------------------------------------------------------------
# Reading the content folder (no YAML library: the framework's layout is regular enough).

def framework_info(path):
    """Question ids, checklist ids, phase ids, direction ids, thresholds and the prose strings."""
    sections = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z_]+):", line)
        if m:
            current = m.group(1)
        if current:
            sections.setdefault(current, []).append(line)

    def ids(section, pattern=r"\bid:\s*([A-Za-z0-9_.]+)"):
        return [m.group(1) for line in sections.get(section, []) for m in re.finditer(pattern, line)]

    thresholds = {}
    for line in sections.get("thresholds", [])[1:]:
        m = re.match(r"^\s+([a-z_]+):\s*([-0-9.]+)", line)
        if m:
            thresholds[m.group(1)] = m.group(2)
    prose = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            continue
        for m in re.finditer(r"\b(?:text|label|description|verification|reason|kind|basis|attitude|offer):\s*"
                             r"(\"[^\"]*\"|[^,}]+)", line):
            prose.append(m.group(1).strip().strip('"'))
        for m in re.finditer(r"\b(?:items|lines):\s*\[(.*)\]", line):
            prose.extend(x.strip().strip('"') for x in re.split(r",\s*(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", m.group(1)))
        m = re.match(r"^\s+-\s+([^{\[\s][^:]*)$", line)
        if m and not m.group(1).startswith("id"):
            prose.append(m.group(1).strip())
    prose = [re.sub(r"\{([a-z_]+)\}", lambda m: thresholds.get(m.group(1), m.group(0)), p) for p in prose]
    return {
        "questions": ids("questions"),
        "checklist": ids("checklist"),
        "phases": ids("phases", r"^\s+- id:\s*([a-z_]+)"),
        "directions": ids("directions", r"^\s+- id:\s*([a-z_]+)"),
        "prose": prose,
    }


def page_sentences(pages_dir):
    out = []
    for page in sorted(pages_dir.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        for line in text.splitlines():
            line = re.sub(r"^\s*(?:#+|[-*]|\d+\.)\s*", "", line.replace("**", "")).strip()
            out.extend(s for s in re.split(r"(?<=[。；！？])", line) if s.strip() and not s.endswith("："))
    return out


def shipped_proposals(proposals_dir):
    """The notes lines and the answers (by question id) of the shipped proposals."""
    notes, answers = [], {}
    for path in sorted(proposals_dir.glob("*.yaml")):
        section = None
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^(\S[^:]*):", line)
            if m:
                section = m.group(1)
                continue
            if section == "meeting" and line.startswith("    "):
                s = re.sub(r"^\s*(?:#+|[-*>]|\d+\.)\s*", "", line.replace("**", "")).strip()
                if s and "|" not in s:
                    notes.append(s)
            elif section == "answers":
                m = re.match(r"^\s+([A-Za-z0-9_.]+):\s*(.+)$", line)
                if m:
                    answers.setdefault(m.group(1), []).append(m.group(2).strip())
    return notes, answers


# ---------------------------------------------------------------------------------------------
# One proposal.

KINDS = [("sparse", 8), ("contact", 25), ("review", 25), ("no_go", 20), ("go", 15), ("random", 7)]


def maybe(rng, value, p_unknown):
    """value, or None (written as null or left out: both are unknown)."""
    return None if rng.random() < p_unknown else value


def facts_for(kind, rng, directions):
    b = lambda p=0.5: rng.random() < p  # noqa: E731
    if kind == "go":
        moves = any(d in ("primary_model", "compute", "fine_tuning") for d in directions)
        return {
            "terms": {"cost_reduction_pct": rng.choice([40, 41.5, 42, 45, 48, 50, 55]), "cost_data": True,
                      "exclusive": False, "lock_in": False, "replace_all_suppliers": False,
                      "multi_vendor_ok": True, "joint_marketing": b(0.8), "exit_clause": True,
                      "vague_benefit": False, "resource_swap": False},
            "poc": {"offered": True, "vendor_pays": b(0.8), "latency_s": round(rng.uniform(1.2, 4.8), 1),
                    "no_rate_limit": True, "compatible": True, "passed": True},
            "migration": {"person_weeks": rng.choice([0.5, 1, 1.5, 3, 4]),
                          "cost_vs_benefit_pct": rng.randint(5, 45), "major_refactor": False,
                          "long_term_infra": False, "core_business": False if moves else b(0.3),
                          "reversible": True},
            "bonus": {"enablement": b(0.7), "strategic_investment": maybe(rng, b(0.3), 0.4),
                      "industry_influence": b(0.7)},
        }
    if kind == "no_go":
        f = facts_for("review", rng, directions)
        trigger = rng.choice(["terms.exclusive", "terms.lock_in", "terms.replace_all_suppliers",
                              "migration.major_refactor", "migration.long_term_infra", "terms.vague_benefit",
                              "terms.resource_swap", "poc.offered", "poc.passed", "terms.cost_reduction_pct"])
        group, key = trigger.split(".")
        f.setdefault(group, {})[key] = {"poc.offered": False, "poc.passed": False,
                                        "terms.cost_reduction_pct": rng.choice([5, 10, 12, 15, 18, -3])}.get(trigger, True)
        return f
    if kind == "sparse":
        return {}
    p = {"contact": 0.6, "review": 0.3, "random": 0.4}[kind]
    return {
        "terms": {"cost_reduction_pct": maybe(rng, rng.choice([20, 22.5, 25, 28, 30, 32, 35, 38, 40, 45]), p),
                  "cost_data": maybe(rng, b(0.6), p), "exclusive": maybe(rng, False, p / 2),
                  "lock_in": maybe(rng, False, p), "replace_all_suppliers": maybe(rng, False, p / 2),
                  "multi_vendor_ok": maybe(rng, b(0.85), p), "joint_marketing": maybe(rng, b(0.6), p),
                  "exit_clause": maybe(rng, b(0.6), p), "vague_benefit": maybe(rng, False, p),
                  "resource_swap": maybe(rng, False, p)},
        "poc": {"offered": maybe(rng, True, p / 2), "vendor_pays": maybe(rng, b(0.6), p),
                "latency_s": maybe(rng, round(rng.uniform(1.5, 9.0), 1), p + 0.2),
                "no_rate_limit": maybe(rng, b(0.6), p + 0.1), "compatible": maybe(rng, b(0.8), p),
                "passed": maybe(rng, True, p + 0.3)},
        "migration": {"person_weeks": maybe(rng, rng.choice([0.5, 1, 1.5, 2, 3, 5, 8]), p),
                      "cost_vs_benefit_pct": maybe(rng, rng.randint(10, 80), p),
                      "major_refactor": maybe(rng, False, p / 2), "long_term_infra": maybe(rng, False, p),
                      "core_business": maybe(rng, b(0.4), p), "reversible": maybe(rng, b(0.8), p)},
        "bonus": {"enablement": maybe(rng, b(0.6), p), "strategic_investment": maybe(rng, b(0.2), p),
                  "industry_influence": maybe(rng, b(0.5), p)},
    }


class Generator:
    def __init__(self, content, seed):
        self.rng = random.Random(seed)
        fw = framework_info(content / "framework.yaml")
        for key in ("questions", "checklist", "phases", "directions"):
            if not fw[key]:
                sys.exit(f"gen_proposals: no {key} ids found in {content / 'framework.yaml'}")
        self.fw = fw
        # Characters allowed: those of the shipped content that the built-in font (GB2312) has,
        # and those of the vendor names.
        shipped = "".join(p.read_text(encoding="utf-8") for p in sorted(content.rglob("*")) if p.is_file())
        self.charset = {c for c in shipped + "".join(v for v, _ in VENDORS) + "\n" if gb2312_ok(c)}
        notes, self.shipped_answers = shipped_proposals(content / "proposals")
        pool = page_sentences(content / "pages") + fw["prose"] + notes
        pool = [s for s in pool if cjk_count(s) >= 6 and gb2312_ok(s) and "{" not in s and not s.endswith("：")]
        self.sentences = sorted(set(pool))
        self.direction_titles = dict(re.findall(r"- id:\s*([a-z_]+)\n\s+title:\s*(.+)",
                                                (content / "framework.yaml").read_text(encoding="utf-8")))

    def fill(self, template, vendor, year):
        r = self.rng
        return template.format(
            pct=r.choice([15, 20, 25, 30, 35, 40, 45]), small=r.choice([5, 10, 15]), k=r.choice([10, 20, 50]),
            lat=round(r.uniform(1.5, 8.0), 1), w=r.choice([2, 3, 4]), pw=r.choice([1, 2, 3, 5]),
            vendor=vendor, year=year, data=r.choice(["但没有给出具体数字", "并提交了基于实际调用量的对比"]),
            pays=r.choice(["对方承担资源费用", "成本分担方式待定", "需要我方承担部分成本"]),
            limit=r.choice(["无限流", "偶发限流", "限流情况待确认"]))

    def paragraph(self, vendor, year, k):
        r = self.rng
        parts = []
        for _ in range(k):
            if r.random() < 0.3:
                parts.append(self.fill(r.choice(NOTE_TEMPLATES), vendor, year))
            else:
                s = r.choice(self.sentences)
                while s in self.used and len(self.used) < len(self.sentences) // 2:
                    s = r.choice(self.sentences)
                self.used.add(s)
                parts.append(s if s[-1] in "。；！？" or s.endswith("吗）") else s + "。")
        return "".join(parts)

    def notes(self, vendor, year):
        """Markdown of a few hundred Chinese characters: headings, paragraphs, lists, quotes."""
        r = self.rng
        blocks = []
        self.used = set()
        target = r.randint(200, 600)
        while sum(cjk_count(b) for b in blocks) < target:
            shape = r.random()
            if shape < 0.15 and not blocks:
                blocks.append("## " + r.choice(["要点", "会议记录", "对方提案", "我方评估", "待确认事项"]))
            elif shape < 0.45:
                blocks.append(self.paragraph(vendor, year, r.randint(2, 4)))
            elif shape < 0.7:
                blocks.append("\n".join("- " + self.paragraph(vendor, year, 1) for _ in range(r.randint(2, 5))))
            elif shape < 0.85:
                blocks.append("\n".join(f"{i}. " + self.paragraph(vendor, year, 1) for i in range(1, r.randint(3, 5))))
            elif shape < 0.93:
                blocks.append("> 待确认：" + self.paragraph(vendor, year, 1))
            else:
                lat = round(r.uniform(3, 9), 1)
                blocks.append("| 指标 | 现状 | 试点 |\n|------|------|------|\n"
                              f"| 成本 | 基线 | 降低 {r.randint(10, 50)}% |\n"
                              f"| P95 延迟 | {lat}s | {round(lat * r.uniform(0.5, 1.1), 1)}s |\n"
                              f"| 限流 | 高峰期偶发 | {r.choice(['无', '偶发', '待验证'])} |")
            if r.random() < 0.3:  # bold a phrase somewhere, as the shipped notes do
                b = blocks[-1]
                m = re.search(r"\d+(?:\.\d+)?%", b)
                if m:
                    blocks[-1] = b[:m.start()] + "**" + m.group(0) + "**" + b[m.end():] if "**" not in b else b
        return "\n\n".join(blocks)

    def answer(self, qid, facts):
        r = self.rng
        shipped = self.shipped_answers.get(qid)
        if shipped and r.random() < 0.7:
            return r.choice(shipped)
        if not shipped and r.random() < 0.5:
            prefixed = PREFIX_ANSWERS.get(qid.split(".")[0])
            if prefixed:
                return self.fill(r.choice(prefixed), "", 2026)
        return r.choice(GENERIC_ANSWERS)

    def proposal(self, index):
        r = self.rng
        vendor, slug = r.choice(VENDORS)
        day = dt.date(2019, 1, 1) + dt.timedelta(days=r.randrange((dt.date(2026, 12, 31) - dt.date(2019, 1, 1)).days))
        kind = r.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        dirs = r.sample(self.fw["directions"], k=r.choice([1, 1, 2, 2, 3]))
        dirs.sort(key=self.fw["directions"].index)
        facts = facts_for(kind, r, dirs)
        phase = {"contact": "contact", "review": "review", "go": "pilot"}.get(kind, r.choice(self.fw["phases"] + [None]))
        if phase is not None and phase not in self.fw["phases"]:
            phase = r.choice(self.fw["phases"])
        title_dir = self.direction_titles.get(dirs[0], dirs[0])
        title = r.choice([f"{vendor}希望推进{title_dir}", f"{vendor}提出{title_dir}方案",
                          f"{vendor}：{title_dir}，{r.choice(['提交成本对比', '约定 PoC', '试点完成', '初次沟通'])}"])
        notes = self.notes(vendor, day.year) if kind != "sparse" or r.random() < 0.5 else None

        lines = [f"# 生成的基准测试提案（{kind}）", f"vendor: {json.dumps(vendor, ensure_ascii=False)}"]
        if kind != "sparse" or r.random() < 0.5:
            lines.append(f"title: {json.dumps(title, ensure_ascii=False)}")
        lines += ["meeting:", f"  date: {day.isoformat()}"]
        if phase:
            lines.append(f"  phase: {phase}")
        if kind != "sparse":
            people = r.sample(OUR_PEOPLE, r.randint(1, 4)) + [vendor + x for x in r.sample(THEIR_ROLES, r.randint(1, 2))]
            lines.append("  attendees: [" + ", ".join(people) + "]")
        if notes:
            lines.append("  notes: |")
            lines += [("    " + l) if l else "" for l in notes.split("\n")]
        lines.append(f"directions: [{', '.join(dirs)}]")
        for group in ("terms", "poc", "migration", "bonus"):
            values = facts.get(group, {})
            body = []
            for key, value in values.items():
                if value is None:
                    if r.random() < 0.5:
                        body.append(f"  {key}: null")  # else: left out, also unknown
                else:
                    body.append(f"  {key}: {json.dumps(value)}")
            if body:
                lines += [f"{group}:"] + body
        if kind != "sparse":
            n_ans = {"contact": (0, 4), "review": (3, 9), "go": (6, 12)}.get(kind, (0, 8))
            qids = r.sample(self.fw["questions"], min(len(self.fw["questions"]), r.randint(*n_ans)))
            if qids:
                lines.append("answers:")
                lines += [f"  {q}: {json.dumps(self.answer(q, facts), ensure_ascii=False)}"
                          for q in sorted(qids, key=self.fw["questions"].index)]
            n_chk = {"contact": (0, 3), "review": (4, 12), "go": (10, 18)}.get(kind, (0, 10))
            cids = r.sample(self.fw["checklist"], min(len(self.fw["checklist"]), r.randint(*n_chk)))
            if cids:
                lines.append("checklist:")
                p_true = {"go": 0.9, "contact": 0.3}.get(kind, 0.6)
                lines += [f"  {c}: {json.dumps(r.random() < p_true)}"
                          for c in sorted(cids, key=self.fw["checklist"].index)]
        text = "\n".join(lines) + "\n"
        bad = {c for c in text if c not in self.charset}
        if bad:
            sys.exit(f"gen_proposals: characters neither in the shipped content nor in a vendor name: {''.join(sorted(bad))}")
        name = f"{day.isoformat()}-{slug}-{index:05d}"
        page = (f"---\ntitle: {json.dumps(title + '（' + day.isoformat() + '）', ensure_ascii=False)}\n---\n\n"
                + (notes or title) + "\n")
        return name, text, page


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="how many proposals")
    ap.add_argument("out", type=pathlib.Path, help="folder to write them into (created if missing)")
    ap.add_argument("--content", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent / "content",
                    help="content folder to read ids and sentences from (default: the repository's content/)")
    ap.add_argument("--seed", type=int, default=20260120)
    ap.add_argument("--hugo", type=pathlib.Path, help="also write one Markdown page per proposal here")
    args = ap.parse_args()
    gen = Generator(args.content, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.hugo:
        args.hugo.mkdir(parents=True, exist_ok=True)
    for i in range(1, args.n + 1):
        name, text, page = gen.proposal(i)
        (args.out / f"{name}.yaml").write_text(text, encoding="utf-8")
        if args.hugo:
            (args.hugo / f"{name}.md").write_text(page, encoding="utf-8")


if __name__ == "__main__":
    main()
