#!/usr/bin/python3
"""Keeps the plugin's Qt translation sources (geoadmin/i18n/geoadmin_<lang>.ts) in step with
its code: every string the code translates (tr("..."), an algorithm's DISPLAY and SUMMARY)
is a message of the context "geoadmin"; translations already made are kept, new strings are
marked unfinished, strings the code no longer has are dropped. English is the source
language, so its file carries each string as its own translation.

    plugins/qgis/update_translations.py          update the .ts files
    plugins/qgis/update_translations.py --check  exit 1 when a file is not up to date or a
                                                 Chinese translation is missing
lrelease (Debian qttools5-dev-tools) compiles them to .qm: scripts/build-qgis-plugin.
"""
import ast
import os
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.join(HERE, "geoadmin")
I18N = os.path.join(PLUGIN, "i18n")
LANGS = ["zh_CN", "en"]


def strings():
    """The translated strings of the plugin's code, in order of first appearance."""
    found = []
    for name in sorted(os.listdir(PLUGIN)):
        if not name.endswith(".py"):
            continue
        tree = ast.parse(open(os.path.join(PLUGIN, name), encoding="utf-8").read())
        for node in ast.walk(tree):
            text = None
            if isinstance(node, ast.Call) and node.args:
                f = node.func
                called = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                if called == "tr" and isinstance(node.args[0], ast.Constant):
                    text = node.args[0].value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if (isinstance(target, ast.Name) and target.id in ("DISPLAY", "SUMMARY")
                        and isinstance(node.value, ast.Constant) and node.value.value):
                    text = node.value.value
            if isinstance(text, str) and text and text not in found:
                found.append(text)
    return found


def read(path):
    out = {}
    if os.path.exists(path):
        for message in ET.parse(path).getroot().iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if translation is not None and translation.get("type") not in ("unfinished",
                                                                            "obsolete"):
                out[source] = translation.text or ""
    return out


def render(lang, messages, done):
    root = ET.Element("TS", version="2.1", language=lang, sourcelanguage="en")
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = "geoadmin"
    for source in messages:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        translation = ET.SubElement(message, "translation")
        if lang == "en":
            translation.text = source
        elif source in done:
            translation.text = done[source]
        else:
            translation.set("type", "unfinished")
    ET.indent(root)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
            + ET.tostring(root, encoding="unicode") + "\n")


def main():
    check = "--check" in sys.argv[1:]
    messages = strings()
    problems = []
    for lang in LANGS:
        path = os.path.join(I18N, f"geoadmin_{lang}.ts")
        done = read(path)
        text = render(lang, messages, done)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        missing = [m for m in messages if lang != "en" and m not in done]
        if check:
            if text != current:
                problems.append(f"{path}: not up to date (run {sys.argv[0]})")
            problems += [f"{path}: no translation of {m!r}" for m in missing]
        else:
            os.makedirs(I18N, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"{path}: {len(messages)} messages, {len(missing)} to translate")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
