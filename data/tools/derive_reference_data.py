#!/usr/bin/env python3
"""Derives jobmatch's compact reference data from the official sources.

Run by a developer when the sources change, never at build, run or test time:
    python3 data/tools/derive_reference_data.py /path/to/shared/data

Writes (gzip-compressed TSV, UTF-8, '#' lines are comments):
  data/esco/isco_groups.tsv.gz      code, label                       (all 619 ISCO-08 groups)
  data/esco/skills.tsv.gz           uri, kind(S=skill|G=group), label (skills + skill groups)
  data/esco/skill_broader.tsv.gz    skill_index, broader_index        (skill hierarchy)
  data/esco/occupations.tsv.gz      uri, isco_unit_group, label
  data/esco/occupation_skills.tsv.gz occupation_index, E|O, skill_index
  data/geo/postal_codes.tsv         postal_code, name, municipality, lat, lon, geographic
  data/geo/municipalities.tsv       code, name, region, lat, lon
  data/fixtures/jobcentre31/esco/*  the same five ESCO files for the 31 occupations of
                                    subset_jobcentre31 (fast tests, demos)
Indices are 0-based row numbers in the files above, which keeps the files small.
"""
import csv
import gzip
import os
import sys

csv.field_size_limit(1 << 24)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def write_gz(path, header, rows):
    # mtime=0 keeps the output byte-identical across runs.
    with open(path, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(("# " + header + "\n").encode())
            for row in rows:
                gz.write(("\t".join(str(c) for c in row) + "\n").encode())


def clean(label):
    return " ".join(label.replace("\t", " ").split())


def write_fixture(esco, out, groups, all_skills, broader, occupations, relations):
    """The subset_jobcentre31 fixture in the same format: its 31 occupations,
    their related skills with every broader concept above them (so partial
    credit works as with the full set), and all ISCO groups."""
    wanted = {r["conceptUri"] for r in
              read_csv(os.path.join(esco, "subset_jobcentre31", "occupations.csv"))}
    occ_keep = [i for i, (uri, _, _) in enumerate(occupations) if uri in wanted]
    occ_new = {old: new for new, old in enumerate(occ_keep)}
    skill_keep = {s for (o, _, s) in relations if o in occ_new}
    up = {}
    for a, b in broader:
        up.setdefault(a, []).append(b)
    stack = list(skill_keep)
    while stack:
        for b in up.get(stack.pop(), []):
            if b not in skill_keep:
                skill_keep.add(b)
                stack.append(b)
    skill_list = sorted(skill_keep)
    skill_new = {old: new for new, old in enumerate(skill_list)}
    d = os.path.join(out, "fixtures", "jobcentre31", "esco")
    os.makedirs(d, exist_ok=True)
    write_gz(os.path.join(d, "isco_groups.tsv.gz"), "code\tlabel", groups)
    write_gz(os.path.join(d, "skills.tsv.gz"), "uri\tkind\tlabel",
             [all_skills[i] for i in skill_list])
    write_gz(os.path.join(d, "skill_broader.tsv.gz"), "skill_index\tbroader_index",
             sorted((skill_new[a], skill_new[b]) for a, b in broader
                    if a in skill_new and b in skill_new))
    write_gz(os.path.join(d, "occupations.tsv.gz"), "uri\tisco_unit_group\tlabel",
             [occupations[i] for i in occ_keep])
    write_gz(os.path.join(d, "occupation_skills.tsv.gz"),
             "occupation_index\trelation\tskill_index",
             sorted((occ_new[o], r, skill_new[s]) for (o, r, s) in relations if o in occ_new))
    print(f"fixture jobcentre31: {len(occ_keep)} occupations, {len(skill_list)} skills+groups")


def main(shared):
    esco = os.path.join(shared, "esco-v1.1.1")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

    groups = sorted((r["code"], clean(r["preferredLabel"]))
                    for r in read_csv(os.path.join(esco, "en", "ISCOGroups_en.csv")))
    write_gz(os.path.join(out, "esco", "isco_groups.tsv.gz"), "code\tlabel", groups)

    skills = [(r["conceptUri"], "S", clean(r["preferredLabel"]))
              for r in read_csv(os.path.join(esco, "en", "skills_en.csv"))]
    skill_groups = [(r["conceptUri"], "G", clean(r["preferredLabel"]))
                    for r in read_csv(os.path.join(esco, "en", "skillGroups_en.csv"))]
    all_skills = sorted(skills + skill_groups)
    skill_index = {uri: i for i, (uri, _, _) in enumerate(all_skills)}
    write_gz(os.path.join(out, "esco", "skills.tsv.gz"), "uri\tkind\tlabel", all_skills)

    broader = set()
    for r in read_csv(os.path.join(esco, "relations", "broaderRelationsSkillPillar.csv")):
        a, b = skill_index.get(r["conceptUri"]), skill_index.get(r["broaderUri"])
        if a is not None and b is not None:
            broader.add((a, b))
    write_gz(os.path.join(out, "esco", "skill_broader.tsv.gz"), "skill_index\tbroader_index",
             sorted(broader))

    occupations = sorted((r["conceptUri"], r["iscoGroup"], clean(r["preferredLabel"]))
                         for r in read_csv(os.path.join(esco, "en", "occupations_en.csv")))
    occ_index = {uri: i for i, (uri, _, _) in enumerate(occupations)}
    write_gz(os.path.join(out, "esco", "occupations.tsv.gz"), "uri\tisco_unit_group\tlabel",
             occupations)

    relations = set()
    for r in read_csv(os.path.join(esco, "relations", "occupationSkillRelations.csv")):
        o, s = occ_index.get(r["occupationUri"]), skill_index.get(r["skillUri"])
        if o is not None and s is not None:
            relations.add((o, "E" if r["relationType"] == "essential" else "O", s))
    write_gz(os.path.join(out, "esco", "occupation_skills.tsv.gz"),
             "occupation_index\trelation\tskill_index", sorted(relations))

    write_fixture(esco, out, groups, all_skills, broader, occupations, relations)

    geo = os.path.join(shared, "dk-geo")
    with open(os.path.join(out, "geo", "postal_codes.tsv"), "w", encoding="utf-8") as f:
        f.write("# postal_code\tname\tmunicipality\tlat\tlon\tgeographic\n")
        for r in read_csv(os.path.join(geo, "postnumre_derived.csv")):
            f.write("\t".join([str(int(r["postnr"])), r["bynavn"], str(int(r["kommunekode"])),
                               r["lat"], r["lon"], r["geographic"]]) + "\n")
    with open(os.path.join(out, "geo", "municipalities.tsv"), "w", encoding="utf-8") as f:
        f.write("# code\tname\tregion\tlat\tlon\n")
        for r in read_csv(os.path.join(geo, "kommuner_derived.csv")):
            f.write("\t".join([str(int(r["kommunekode"])), r["navn"], r["region"],
                               r["approx_lat"], r["approx_lon"]]) + "\n")
    print(f"{len(groups)} ISCO groups, {len(all_skills)} skills+groups, {len(broader)} broader, "
          f"{len(occupations)} occupations, {len(relations)} relations")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
