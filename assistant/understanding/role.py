"""The writer's role: owner, employee, IT or developer, and someone who writes for a relative's or a
boss's business."""

from __future__ import annotations

import re
from typing import Literal, cast

from assistant.understanding import profile_data as data
from assistant.understanding.people import FAMILY, OTHERS

# A role read from text; "it_helper" is someone who looks after the computers.
RoleRead = Literal["owner", "employee", "it", "developer", "it_helper"]


FOR_SOMEONE = re.compile(
    # "escribo por mi papá", "le mando mensaje de parte de mi abuelito"
    r"\b(?:escribo|pregunto|mando (?:el |este |un )?mensaje|hablo|consulto|vengo) "
    r"(?:por|de parte de|en nombre de) (?:mi|mis|el|la)\b"
    # "le ayudo a mi tío en su refaccionaria", "trabajo con mi compadre en su taller"
    r"|\b(?:ayudo|apoyo|echo (?:la|una) mano|trabajo|chambeo) (?:a|con|para) (?:mi|mis) "
    rf"{OTHERS} (?:con|en) (?:su|sus)\b"
    # "atiendo la panadería de mi suegra", "trabajo en el taller de mi tío", "somos 4 en la
    # fonda de mi tía"
    r"|\b(?:atiendo|atendemos|trabajo en|trabajamos en|ayudo en|ayudamos en|chambeo en|"
    r"somos [a-z0-9]+ en|manejo|manejamos|llevo|llevamos|administro|administramos|"
    r"me encargo de|me hago cargo de) (?:la|el|los|las) [a-zñ]+"
    rf"(?: [a-zñ]+)? de (?:mi|mis) {OTHERS}\b"
    # "mi mamá tiene una estética y yo le llevo el face", "mi tío tiene una ferretería y me pidió
    # que preguntara", "es la tienda de mi mamá, yo la atiendo"
    rf"|\bmis? {FAMILY} tienen? (?:un|una|su|sus)\b.* (?:yo (?:le|les|lo|la) [a-zñ]+|"
    r"me (?:pidio|pidieron|encargo|encargaron|mando|mandaron)\b)"
    rf"|\bes (?:la|el) [a-zñ]+ de (?:mi|mis) {OTHERS}\b.* yo (?:la|lo|le) [a-zñ]+"
    # "el taller es de mi papá", "la tiendita es de mi suegra" (not "la compu es de mi hijo", nor
    # "es de mi esposo y mío")
    r"|\b(?:el|la|los|las) (?!celular|cel|compu|computadora|telefono|carro|camioneta|idea|cuenta)"
    r"[a-zñ]+(?: [a-zñ]+){0,4} (?<!\bno )(?:es|son) de (?:mi|mis) "
    rf"{OTHERS}\b(?! y (?:mio|mia)\b)(?! y yo ?(?:$|[,.;!?]))"
    # "le ayudo a mi mamá", "les echo la mano a mis suegros"
    rf"|\b(?:le|les) (?:ayudo|apoyo|echo (?:la|una) mano) a (?:mi|mis) {OTHERS}\b"
    # "soy el hijo del dueño", "soy la sobrina de la dueña"
    r"|\bsoy (?:el |la )?(?:hij[oa]|sobrin[oa]|niet[oa]|espos[oa]|yerno|nuera) "
    r"de(?:l| la) (?:dueñ[oa]|duen[oa]|patr[oó]n|patrona)\b"
)


ROLE_RX = data.patterns(data.ROLES)


def read_role(text: str, owns_sector: bool, known: bool = False) -> RoleRead | None:
    """The writer's role said in `text`; "tengo una fonda" (`owns_sector`) makes an owner only
    when nothing says otherwise and no role is `known` yet."""
    not_owner = False  # "no soy el dueño": whoever writes works there
    for role, rx in ROLE_RX.items():
        for m in rx.finditer(text):
            if not re.search(r"\bno\s*$", text[: m.start()]):
                return cast(RoleRead, role)
            # "no tengo negocio todavía" or "el local no es mío" deny nothing of the sort
            not_owner = not_owner or (role == "owner" and m.group().startswith("soy"))
    if FOR_SOMEONE.search(text) or not_owner:
        return "employee"  # "escribo por mi papá": helping is not owning
    return "owner" if owns_sector and not known else None
