#!/usr/bin/env python3
# make_broken.py — This file contains the generator of the question-set
# fixtures in tests/data/qsets/: good.json (a small valid set) and one file
# per kind of breakage in broken/.  Each broken file is good.json with ONE
# change; test_qset.c lists what its message must name.  Re-run after
# editing: python3 make_broken.py
import copy, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
VETEJ = {"sv": "Vet ej / vill inte svara", "en": "Don't know / prefer not to answer"}
GOOD = {
    "id": "testset", "version": 3, "langs": ["sv", "en"],
    "lang_names": {"sv": "Svenska", "en": "English"},
    "modes": ["kiosk", "phone"],
    "title": {"sv": "Testenkät", "en": "Test survey"},
    "scales": [
        {"id": "tre_grad", "options": [
            {"code": "mycket", "label": {"sv": "Mycket", "en": "Very much"}},
            {"code": "lite", "label": {"sv": "Lite", "en": "A little"}},
            {"code": "inte_alls", "label": {"sv": "Inte alls", "en": "Not at all"}},
            {"code": "vet_ej", "label": VETEJ, "dontknow": True}]},
        {"id": "ja_nej", "options": [
            {"code": "ja", "label": {"sv": "Ja", "en": "Yes"}},
            {"code": "nej", "label": {"sv": "Nej", "en": "No"}},
            {"code": "vet_ej", "label": VETEJ, "dontknow": True}]}],
    "questions": [
        {"id": "nojdhet", "type": "choice", "scale": "tre_grad",
         "indicator": "nojdhet", "positive": ["mycket"],
         "text": {"sv": "Hur nöjd är du?", "en": "How satisfied are you?"},
         "easy": {"sv": "Är du glad?", "en": "Are you happy?"},
         "script": {"sv": "Hur nöjd är du?"}},
        {"id": "battre", "type": "text", "optional": True,
         "condition": {"on": "nojdhet", "in": ["lite", "inte_alls"]},
         "text": {"sv": "Vad kan bli bättre?", "en": "What could be better?"},
         "script": {"sv": "Vad kan bli bättre?"}},
        {"id": "info", "type": "yesno", "scale": "ja_nej",
         "indicator": "information", "positive": ["ja"],
         "modes": ["phone"],
         "text": {"sv": "Fick du information?"},
         "script": {"sv": "Fick du information?"}}],
}

def q(d, qid):
    return next(x for x in d["questions"] if x["id"] == qid)

def mut(f):
    d = copy.deepcopy(GOOD)
    f(d)
    return d

BROKEN = {
    "unknown_scale": lambda d: q(d, "nojdhet").update(scale="fem_grad"),
    "duplicate_question": lambda d: q(d, "battre").update(id="nojdhet"),
    "cond_later": lambda d: q(d, "battre")["condition"].update(on="info"),
    "cond_unknown": lambda d: q(d, "battre")["condition"].update(on="finns_inte"),
    "cond_self": lambda d: q(d, "nojdhet").update(condition={"on": "nojdhet", "in": ["lite"]}),
    "cond_unknown_option": lambda d: q(d, "battre")["condition"].update({"in": ["jattebra"]}),
    "cond_unanswered_ok_in": lambda d: q(d, "battre")["condition"].update(unanswered_ok=True),
    "cond_on_text": lambda d: q(d, "info").update(condition={"on": "battre", "in": ["ja"]}),
    "missing_swedish": lambda d: q(d, "nojdhet")["text"].pop("sv"),
    "missing_declared_lang": lambda d: q(d, "nojdhet")["text"].pop("en"),
    "undeclared_lang": lambda d: q(d, "nojdhet")["text"].update(fi="Kuinka tyytyväinen olet?"),
    "no_positive": lambda d: q(d, "nojdhet").pop("positive"),
    "positive_dontknow": lambda d: q(d, "nojdhet").update(positive=["mycket", "vet_ej"]),
    "all_positive": lambda d: q(d, "info").update(positive=["ja", "nej"]),
    "empty_scale": lambda d: d["scales"][0].update(options=[]),
    "only_dontknow_scale": lambda d: d["scales"][0].update(options=[d["scales"][0]["options"][3]]),
    "duplicate_scale": lambda d: d["scales"][1].update(id="tre_grad"),
    "duplicate_option": lambda d: d["scales"][1]["options"][1].update(code="ja"),
    "bad_version": lambda d: d.update(version=0),
    "version_string": lambda d: d.update(version="2"),
    "unknown_mode": lambda d: q(d, "nojdhet").update(modes=["kiosk", "webb"]),
    "typo_member": lambda d: q(d, "nojdhet").update(indikator=q(d, "nojdhet").pop("indicator")),
    "typo_member_set": lambda d: d.update(questoins=[]),
    "bad_type": lambda d: q(d, "nojdhet").update(type="multi"),
    "text_with_indicator": lambda d: q(d, "battre").update(indicator="battre"),
    "yesno_wrong_scale": lambda d: q(d, "info").update(scale="tre_grad", positive=["mycket"]),
    "phone_no_script": lambda d: q(d, "nojdhet").pop("script"),
    "langs_not_sv_first": lambda d: d.update(langs=["en", "sv"]),
    "missing_lang_name": lambda d: d["lang_names"].pop("en"),
    "audio_abs_path": lambda d: q(d, "nojdhet").update(audio={"sv": "/etc/passwd"}),
    "duplicate_indicator": lambda d: q(d, "info").update(indicator="nojdhet"),
    "mode_not_in_set": lambda d: (d.update(modes=["kiosk"]), q(d, "nojdhet").pop("script")),
}

def write(path, d):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False, indent=1)
        f.write("\n")

write(os.path.join(HERE, "good.json"), GOOD)
for name, f in BROKEN.items():
    write(os.path.join(HERE, "broken", name + ".json"), mut(f))
# Two breakages that json.dump cannot produce.
good_text = json.dumps(GOOD, ensure_ascii=False, indent=1)
with open(os.path.join(HERE, "broken", "not_json.json"), "w") as f:
    f.write(good_text[: len(good_text) // 2])
with open(os.path.join(HERE, "broken", "duplicate_key.json"), "w") as f:
    f.write(good_text.replace('"version": 3,', '"version": 3, "version": 4,', 1))
