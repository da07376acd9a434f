"""Words for people around a business: its staff by trade, helpers, relatives, outsiders and bosses.
Regex fragments shared by the readers of headcount, role and sector."""

from __future__ import annotations

import re

from assistant.understanding.figures import NUM

# People who work in a business, named by what they do: after a number they are its staff
# ("120 guardias", "12 costureras"). Professions that are as often clients ("doctores",
# "abogados") are only staff inside a "somos/tengo" phrase (see WORKER). A trade whose feminine
# form names its machine counts only in the masculine ("mi soldadora", "la ordeñadora" are
# machines); "somos 3 soldadoras" still counts through "somos".
STAFF = (
    r"(?:emplead[oa]s?|trabajador(?:es|as?)?|colaborador(?:es|as?)?|ayudantes?|chalan(?:es)?|"
    r"meser[oa]s?|cociner[oa]s?|vendedor(?:es|as?)?|operari[oa]s?|auxiliar(?:es)?|personal|"
    r"guardias?|vigilantes?|guardaespaldas|choferes|chofer|operador(?:es|as?)?|tecnic[oa]s?|"
    r"costurer[oa]s?|obrer[oa]s?|albañiles|albaniles|repartidor(?:es|as?)?|jornaler[oa]s?|"
    r"estilistas?|cajer[oa]s?|despachador(?:es|as?)?|intendentes?|panader[oa]s?|taquer[oa]s?|"
    r"mecanicos?|soldador(?:es)?|carpinter[oa]s?|herrer[oa]s?|pintor(?:es|as?)?|"
    r"bordador(?:as?|es)|tejedor(?:as?|es)|artesan[oa]s?|ordeñador(?:es)?|vaquer[oa]s?|"
    r"instructor(?:es|as?)?|recepcionistas?|secretari[oa]s?|enfermer[oa]s?|"
    r"barber[oa]s?|tatuador(?:es|as?)?|maestr[oa]s?|cuidador(?:es|as?)?|niñeras?|nineras?|"
    r"cargador(?:es)?|cortador(?:es)?|lavador(?:es)?|empacador(?:es)?|estibador(?:es)?|"
    r"pescador(?:es)?|veladores|velador|supervisor(?:es|as?)?|educador(?:as?|es)|"
    r"promotor(?:es|as?)?|asesor(?:es|as?)?|gerentes?|encargad[oa]s?|dibujantes?|"
    r"practicantes?|becari[oa]s?|aprendiz|aprendices|peon(?:es)?|profesor(?:es|as?)?|"
    r"docentes?|terapeutas?|conserjes?|afanador(?:as?|es)|administrativ[oa]s?|"
    r"cobrador(?:es|as?)?|entrenador(?:es|as?)?|optometristas?)"
)
# "tenemos 35 elementos": a security firm's guards.
HELP = r"(?:chav[oa]s?|muchach[oa]s?|personas?|gente|chamac[oa]s?|elementos)"
# Relatives and partners: "mi esposa", "mis hijos", "mi socio".
KIN = (
    r"(?:esposa|esposo|pareja|mujer|marido|señora|senora|señor|senor|viej[oa]|herman[oa]s?|hij[oa]s?|mama|"
    r"papas?|madre|padres?|soci[oa]s?|suegr[oa]s?|cuñad[oa]s?|cunad[oa]s?|prim[oa]s?|ti[oa]s?|novi[oa]|"
    r"sobrin[oa]s?|amig[oa]s?|compadre|comadre|nuera|yerno|niet[oa]s?|ahijad[oa]s?)"
)
# "mi hermana", "mis 3 hijos"; with "con" before it, one of a list ("con mi esposa y yo").
MY_KIN = rf"mis? (?:(?:{NUM}) )?{KIN}"
KIN_ONE = rf"(?:con )?{MY_KIN}"
# People whose business is not the owner's: "mi vecino tiene una panadería", "mi primo en
# Querétaro". Close family ("el negocio de mi mamá") is left out: owners help in it.
OUTSIDER = (
    r"(?:vecin[oa]s?|prim[oa]s?|amig[oa]s?|conocid[oa]s?|compadres?|comadres?|cuñad[oa]s?|"
    r"cunad[oa]s?|ti[oa]s?|sobrin[oa]s?|clientes?|clientas?|competencia|competidor(?:es|a)?|"
    r"proveedor(?:es|a)?|compañer[oa]s?|companer[oa]s?|colegas?|señor|senor|señora|senora|alguien)"
)
OUTSIDER_RX = re.compile(
    rf"\b(?:mis?|sus?|tus?|el|la|los|las|un|una|otr[oa]s?) {OUTSIDER}\b|\balguien\b"
)
SELF_RX = re.compile(
    r"\b(?:yo|tengo|tenemos|somos|soy|mi negocio|nuestro negocio|vendo|vendemos)\b"
)
# Someone who writes for a business that is another person's: the boss's, a relative's. Their
# words describe that business (it is the profile's), but they are not its owner. Clients are
# not among them: "les ayudo a mis clientes con sus impuestos" is the owner's own trade.
# FAMILY: relatives and bosses, who may have a business the writer helps in; OTHERS adds the
# neighbours, acquaintances and owners whose business the writer may speak for.
FAMILY = rf"(?:{KIN}|jef[ea]|jefit[oa]|patr[oó]n|patrona|abuelit[oa]s?|abuel[oa]s?|papi|mami)"
OTHERS = rf"(?:{FAMILY}|vecin[oa]s?|conocid[oa]s?|dueñ[oa]|duen[oa])"


# People an owner works with, named by their trade ("somos 2 veterinarios y una recepcionista").
WORKER = (
    rf"(?:{STAFF}|{HELP}|asistentes?|veterinari[oa]s?|contador(?:es|as?)?|coach(?:es)?|dentistas?|"
    r"doctor(?:es|as?)?|abogad[oa]s?|ingenier[oa]s?|arquitect[oa]s?|diseñador(?:es|as?)?|"
    r"disenador(?:es|as?)?|programador(?:es|as?)?|compas?|cuates?|carnal(?:es)?|"
    r"compañer[oa]s?|companer[oa]s?|socios?|socias?)"
)


# Helpers said as people, not by a trade: "un chavo de ayudante", "una muchacha de planta", "una
# señora que hace el aseo", "nos echa la mano una muchacha". Each is one more in the team.
PERSON = (
    rf"(?:{HELP}|señor(?:a|es|as)?|senor(?:a|es|as)?|chic[oa]s?|joven|jovenes|morr[oa]s?|"
    r"morrit[oa]s?|chamaquit[oa]s?|muchachit[oa]s?|chavit[oa]s?)"
)
