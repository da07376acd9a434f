"""Builds the business profile from chat turns: sector, size, place, digital maturity, goals, time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.geo import Clause, PhraseIndex, find_location, is_place, normalize, split_clauses
from assistant.knowledge_models import Sector
from assistant.schemas import BusinessProfile


def _table(block: str) -> list[list[str]]:
    return [line.split(" | ") for line in block.strip().splitlines()]


def _patterns(block: str) -> dict[str, re.Pattern[str]]:
    return {key: re.compile(rx) for key, rx in _table(block)}


# Built-in sectors (id | activity | name | aliases): used when a sector file is missing, and their
# aliases complement the files' own. "~" marks generic words and sales channels, which lose to any
# more specific business word in the same message ("tengo una tiendita y vendo en línea").
_FALLBACK = _table("""
abarrotes | comercio | Tiendas de abarrotes y misceláneas | abarrotes, tienda de abarrotes, abarrotería, tiendita, changarro, miscelánea, tienda de la esquina, minisúper, mini super, ~tienda, estanquillo, tendajón, papelería, ferretería, tlapalería, recaudería, frutería, verdulería, carnicería, pollería, cremería, dulcería, vinatería, tienda de conveniencia
restaurante | servicios | Restaurantes, fondas y taquerías | restaurante, restaurant, fonda, cocina económica, comida corrida, taquería, tacos, lonchería, cenaduría, antojitos, cafetería, marisquería, pizzería, pozolería, tortería, birriería, food truck, dark kitchen, comedor, puesto de comida, ~cocina, vendo comida, ~comida, cantina
panaderia | industria | Panaderías y pastelerías | panadería, tortillería, molino de nixtamal, ~pan, pan dulce, bolillo, pastelería, pasteles, repostería, panificadora, galletas
taller-mecanico | servicios | Talleres mecánicos | taller mecánico, ~taller, mecánico, taller automotriz, hojalatería, vulcanizadora, llantera, talachería, refaccionaria, autolavado, taller de motos, afinación
estetica | servicios | Estéticas, salones de belleza y barberías | estética, salón de belleza, barbería, barber, peluquería, estilista, salón de uñas, uñas, pestañas, maquillaje, spa, cosmetóloga
consultorio | servicios | Consultorios médicos y dentales | consultorio, consultorio médico, consultorio dental, ~doctor, doctora, médico, médica, dentista, odontólogo, ~clínica, nutrióloga, nutriólogo, psicóloga, psicólogo, fisioterapeuta, fisioterapia, veterinaria, veterinario
farmacia | comercio | Farmacias independientes | farmacia, botica, droguería, medicamentos
agricultura | industria | Agricultura y producción en el campo | agricultura, ~campo, agricultor, agricultora, ~productor, parcela, milpa, rancho, huerta, huerto, ejido, ejidatario, ~cultivo, ~siembra, siembro, cosecha, invernadero, hortalizas, ganadería, ganadero, de ganado, campesino, aguacatero
agroindustria | industria | Agroindustria | agroindustria, ~café, cafetalero, tostador de café, mezcal, mezcalero, tequila, ~miel, apicultor, cacao, ~chocolate, mermeladas, ~salsas, conservas, quesos, quesería, lácteos, embutidos, empacadora, destilería
artesanias | industria | Artesanías | artesanías, artesanía, artesano, artesana, alfarería, ~barro, barro negro, talavera, alebrijes, bordados, rebozos, textiles artesanales, joyería artesanal, cestería, piñatas, manualidades
textil | industria | Textil y confección | textil, confección, costura, taller de costura, costurera, maquila, maquila de ropa, maquiladora, ~ropa, uniformes, sastrería, modista, bordado, serigrafía, estampado, playeras
manufactura | industria | Manufactura | manufactura, fábrica, fabrico, fabricamos, carpintería, taller de carpintería, herrería, taller de herrería, soldadura, imprenta, ~muebles, fábrica de muebles, plásticos, metalmecánica, maquinados, torno, productos de limpieza
turismo | servicios | Turismo y hospedaje | turismo, hotel, hostal, hostel, posada, hospedaje, cabañas, agencia de viajes, tours, guía de turistas, guía turístico, ecoturismo, airbnb, renta de cuartos, casa de huéspedes, glamping
transporte | servicios | Transporte y logística | transporte, transportista, fletes, flete, fletera, mudanzas, paquetería, mensajería, transporte de carga, camión de carga, tráiler, taxi, taxista, chofer, logística, reparto, autotransporte
construccion | industria | Construcción | construcción, constructora, albañil, albañilería, contratista, obra negra, remodelaciones, remodelación, impermeabilización, materiales para construcción, plomería, electricista
servicios-profesionales | servicios | Servicios profesionales | servicios profesionales, ~despacho, despacho contable, contador, contadora, abogado, abogada, despacho de abogados, notaría, consultoría, consultor, consultora, agencia de marketing, agencia de publicidad, arquitecto, arquitecta, diseñador, diseñadora, diseño gráfico, fotógrafo, fotógrafa, gestoría, inmobiliaria, bienes raíces, ~agencia
educacion | servicios | Educación y capacitación | escuela, colegio, academia, guardería, kínder, preescolar, instituto, doy clases, damos clases, clases particulares, regularización, escuela de idiomas, escuela de manejo, estancia infantil, centro educativo
comercio-en-linea | comercio | Comercio en línea | comercio en línea, comercio electrónico, tienda en línea, tienda online, tienda virtual, ecommerce, e commerce, dropshipping, ~mercado libre, ~amazon, ~marketplace, ~vendo en línea, ~vendo en internet, ~vendo por internet, ~vendo en mercado libre, ~vendo por mercado libre, ~vendo en amazon, ~vendo por amazon, ~vendemos en línea, ~vendemos por internet, ~vendemos en mercado libre, ~vendemos por amazon
""")
_FALLBACK_SECTORS = [
    Sector(id=sid, name=name, aliases=aliases.replace("~", "").split(", "), activity=activity)
    for sid, activity, name, aliases in _FALLBACK
]
_WEAK = {normalize(a[1:]) for row in _FALLBACK for a in row[3].split(", ") if a.startswith("~")}
# Everyday words one typo away from a sector word.
_SECTOR_BLOCKLIST = "herrera reparo bolsillo academica tabaqueria canina cochina".split()
_BUSINESS_CUES = set(
    "tengo tenemos es somos negocio dedico dedicamos empresa soy trabajo mi mis nuestro nuestra "
    "puse abri atiendo vendo vendemos hago hacemos fabrico fabricamos produzco producimos doy damos".split()
)
_SKIP_CUES = {"no", "ni", "quiero", "quisiera", "gustaria", "como", "tipo"}

_UNITS = (
    "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis "
    "diecisiete dieciocho diecinueve veinte veintiuno veintidos veintitres veinticuatro veinticinco "
    "veintiseis veintisiete veintiocho veintinueve"
).split()
_TENS = "treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
_NUMS = {w: i for i, w in enumerate(_UNITS, 1)} | {w: 10 * i for i, w in enumerate(_TENS, 3)}
_NUMS |= {"un": 1, "una": 1, "veintiun": 21, "veintiuna": 21, "cien": 100}
NUM = (
    rf"\d+(?:[.,]\d+)?|(?:{'|'.join(_TENS)}) y (?:{'|'.join(_UNITS[:9])}|una|un)|un par de|"
    + "|".join(sorted(_NUMS, key=len, reverse=True))
)


def _num(s: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", s):  # "1,200" is a headcount, "1,5" is hours
        return float(re.sub(r"\D", "", s))
    if s[0].isdigit():
        return float(s.replace(",", "."))
    return 2.0 if s == "un par de" else float(sum(_NUMS[w] for w in s.split(" y ")))


_APPROX = r"(?:(?:como|unos|unas|alrededor de|aproximadamente|casi|mas o menos|cerca de|mas de) )?"
_STAFF = (
    r"(?:emplead[oa]s?|trabajador(?:es|as?)?|colaborador(?:es|as?)?|ayudantes?|chalan(?:es)?|"
    r"meser[oa]s?|cociner[oa]s?|vendedor(?:es|as?)?|operari[oa]s?|auxiliar(?:es)?|personal)"
)
_HELP = r"(?:chav[oa]s?|muchach[oa]s?|personas?|gente|chamac[oa]s?)"
_EMPLOYEE_RX = [
    re.compile(rf"\b({NUM}) {_STAFF}\b"),
    re.compile(
        rf"\b(?:tengo|tenemos|somos|son|trabajan|con) {_APPROX}({NUM}) {_HELP}\b(?! al| por| cada)"
    ),
    re.compile(rf"\bsomos {_APPROX}(?!una?\b|uno\b)({NUM})\b(?! (?:años|anos|meses|dias|veces)\b)"),
    re.compile(rf"\bequipo de {_APPROX}({NUM})\b"),
]
_HIRING = set("busco buscando necesito contratar ocupo quiero requiero faltan falta".split())
_KIN = (
    r"(?:esposa|esposo|pareja|mujer|marido|señora|senora|viej[oa]|herman[oa]s?|hij[oa]s?|mama|"
    r"papa|madre|padre|soci[oa]s?|suegr[oa]|cuñad[oa]s?|cunad[oa]s?|prim[oa]s?|ti[oa]s?|novi[oa]|"
    r"sobrin[oa]s?|amig[oa]s?|compadre|comadre)"
)
_KIN_ONE = rf"(?:con )?mis? (?:(?:{NUM}) )?{_KIN}"
_FAMILY_RX = re.compile(
    rf"\b((?:{_KIN_ONE}(?:, | y ))+)yo\b|\byo (?:y|con) ((?:{_KIN_ONE},? ?(?:y )?)+)"
)
_SOLO_RX = re.compile(
    r"\b(?:trabajo|estoy|atiendo|chambeo|lo atiendo|la atiendo) sol[oa]\b(?! (?:los|las|el|la|por|"
    r"de|medio|unas?|un|entre|en (?:las|la|el)|lunes|martes|miercoles|jueves|viernes|sabados?|"
    r"domingos?|fines?|mañanas|tardes|noches|\d))"
    r"|\b(?:yo sol[oa]|sol[oa] yo|nada mas yo|nadamas yo|nomas yo|unicamente yo|solamente yo)\b"
    r"(?=\s*(?:$|[,.;!?]|y\b|atiendo|trabajo|llevo|hago|lo\b|la\b|le\b|en (?:el|la|mi)\b|sin\b))"
    r"|\b(?:no tengo|no tenemos|sin|ningun|ni un) (?:emplead|trabajador|ayudante|personal)"
)


def _employees(text: str) -> int | None:
    found = []
    for rx in _EMPLOYEE_RX:
        for m in rx.finditer(text):
            if not _HIRING.intersection(text[: m.start()].split()[-3:]):
                found.append((m.start(), _num(m.group(1))))
    if found:
        return max(1, int(max(found)[1]))  # the last figure stated wins
    if m := _FAMILY_RX.search(text):
        kin = re.findall(rf"\b(mis?) (?:({NUM}) )?{_KIN}", m.group(1) or m.group(2))
        return 1 + sum(int(_num(n)) if n else (2 if mi == "mis" else 1) for mi, n in kin)
    return 1 if _SOLO_RX.search(text) else None


# Official stratification by number of workers (DOF 30-jun-2009). The official formula also
# weighs annual sales (10 % workers + 90 % sales), but in chat we only learn the headcount.
_SIZE_LIMITS = {"comercio": (10, 30, 100), "industria": (10, 50, 250), "servicios": (10, 50, 100)}


def size_for(employees: int, activity: str | None) -> str:
    """micro/pequeña/mediana/grande for a headcount; unknown activity uses the servicios limits."""
    micro, small, medium = _SIZE_LIMITS.get(activity or "servicios", _SIZE_LIMITS["servicios"])
    if employees <= micro:
        return "micro"
    return "pequeña" if employees <= small else "mediana" if employees <= medium else "grande"


# Maturity rule: the level is the highest of the signals' levels (no computer 1, phone/WhatsApp 2,
# social media/CFDI/Excel/website/AI chat 3, online sales/cloud/card terminal 4, ERP or CRM 5);
# website + online sales + AI together also reach 5. Columns: id | level | phrase | pattern.
_W = r"(?:whats?app|whatsap|whats|wasap|guasap|wats?ap|watsap|wsp)"
_SIGNALS = {
    row[0]: (int(row[1]), row[2], re.compile(row[3].replace("WA", _W)))
    for row in _table(r"""
no_computer | 1 | sin computadora | \bno (?:se|sabemos|manejo|manejamos|uso|usamos|tengo|tenemos|ocupo|conozco)\b(?: \w+){0,3} (?:compus?|computadoras?|computacion|laptops?|pc|lap)\b|\bsin (?:compu|computadora|laptop)\b
smartphone | 2 | celular | \b(?:celular|cel|smartphone|telefono inteligente|iphone|android)\b
whatsapp | 2 | WhatsApp | \bWA\b
whatsapp_business | 2 | WhatsApp Business | \bWA business\b|\bcatalogo (?:de|en) WA\b
social_media | 3 | redes sociales | \b(?:facebook|face|fb|instagram|insta|tik ?tok|redes sociales|redes|fanpage|youtube)\b
cfdi | 3 | factura electrónica | \b(?:cfdi|factur(?:o|amos)|facturas? electronicas?|facturacion electronica|timbr(?:o|amos|ado)|(?:doy|damos|emito|emitimos|hago|hacemos) facturas?|contpaq\w*|aspel)\b
spreadsheet | 3 | Excel | \b(?:excel|hojas? de calculo|spreadsheet)\b
website | 3 | una página web | \b(?:pagina web|sitio web|pagina de internet|sitio de internet|website|mi web|wordpress|wix|dominio propio)\b
uses_ai | 3 | herramientas de IA | \b(?:chat ?gpt|gpt|gemini|copilot|claude|perplexity|meta ai|inteligencia artificial)\b
online_sales | 4 | una tienda en línea o marketplace | \b(?:mercado ?libre|amazon(?! (?:bedrock|web services|q|sagemaker)\b)|tienda (?:en linea|online|virtual)|shopify|tienda ?nube|woocommerce|marketplace|vend(?:o|emos) (?:en|por) (?:linea|internet)|ventas (?:en linea|por internet|online)|rappi|uber eats|didi food|e ?commerce)\b
cloud_tools | 4 | herramientas en la nube | \b(?:google drive|drive|google sheets|sheets|hojas de calculo de google|dropbox|one ?drive|en la nube|icloud|google docs|office 365|microsoft 365)\b
pos_terminal | 4 | una terminal de cobro | \b(?:terminal|cobr(?:o|amos|ar) con tarjetas?|acept(?:o|amos) tarjetas?|pagos? con tarjetas?|clip|mercado pago|punto de venta|getnet|zettle|sumup)\b
erp | 5 | un sistema administrativo (ERP) | \b(?:erp|sap|odoo|netsuite|microsip|sistema administrativo|sistema de gestion)\b
crm | 5 | un CRM | \b(?:crm|hubspot|salesforce|zoho|pipedrive|kommo)\b
""")
}
# Words that, just before a tool, mean the user does not use it (yet).
_NOT_USED = set(
    "no ni nunca sin tampoco quiero quisiera gustaria aprender necesito empezar interesa".split()
)
_NO_COMPUTER_REASON = (
    "Todavía no usas computadora; empezaremos con lo que puedes hacer desde el celular."
)
# What the next level would add, as "todavía no …" phrases.
_NEXT = {
    2: [("social_media", "usas redes sociales"), ("cfdi", "facturas electrónicamente")],
    3: [("online_sales", "vendes en línea"), ("cloud_tools", "usas herramientas en la nube")],
    4: [("erp", "usas un sistema administrativo o CRM"), ("uses_ai", "usas herramientas de IA")],
}


def _join(items: list[str], last: str = "y") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def maturity(signals: Iterable[str]) -> tuple[int | None, str | None]:
    """Digital maturity 1-5 and a one-line Spanish reason, from the accumulated signals."""
    sig = {s for s in signals if s in _SIGNALS}
    if not sig:
        return None, None
    level = 5 if {"website", "online_sales", "uses_ai"} <= sig else max(_SIGNALS[s][0] for s in sig)
    hidden = {"smartphone"} if sig & {"whatsapp", "whatsapp_business"} else set()
    hidden |= {"whatsapp", "no_computer"} if "whatsapp_business" in sig else {"no_computer"}
    have = sorted(sig - hidden, key=lambda s: -_SIGNALS[s][0])[:3]
    if not have:
        return level, _NO_COMPUTER_REASON
    uses = "Usas " + _join([_SIGNALS[s][1] for s in sorted(have, key=lambda s: _SIGNALS[s][0])])
    if level == 5:
        return level, f"{uses}: ya tienes una base digital sólida."
    todo = [t for s, t in _NEXT[level] if s not in sig and not (s == "erp" and "crm" in sig)]
    return level, f"{uses}, pero todavía no {_join(todo, 'ni')}." if todo else f"{uses}."


_GOAL_RX = _patterns(r"""
sell_more | \bvender (?:mas|mejor)\b|\bmas (?:clientes|ventas)\b|\bventas\b|\b(?:conseguir|atraer|nuevos) (?:mas )?clientes\b|\bcrecer\b|\b(?:quiero|quisiera|gustaria|necesito) vender\b
customer_service | \batender (?:mejor )?(?:a )?(?:(?:los|mis) )?clientes\b|\batencion\b|\bpedidos\b|\b(?:responder|contestar) (?:los |mis )?(?:mensajes|whats\w*|preguntas|dudas)\b|\bmensajes\b|\bcitas\b|\bagendar\b|\breservaciones\b|\bservicio al cliente\b
save_time | \bahorrar(?:me|nos)? (?:mas )?tiempo\b|\bautomatiz\w*|\bno me (?:da|alcanza) (?:el )?tiempo\b|\b(?:pierdo|perder) (?:mucho )?tiempo\b|\btareas repetitivas\b|\bme quita (?:mucho )?tiempo\b|\bpapeleo\b|\bmas rapido\b
inventory | \binventarios?\b|\b(?:re)?surtir\b|\bse me acab\w*|\bexistencias\b|\bstock\b|\bmercancia\b|\balmacen\b|\bcaducidad\b|\bcaduca\w*|\bmermas?\b
marketing | \bpublicidad\b|\bredes sociales\b|\bpromociones?\b|\banuncios?\b|\bpublicaciones\b|\bpublicar\b|\bmarketing\b|\bmercadotecnia\b|\bdar(?:me|nos) a conocer\b|\bque me conozcan\b
finance | \b(?:las|mis|llevar|llevo|sacar) cuentas\b|\bcontabilidad\b|\bfactura(?:s|cion|r)\b|\bimpuestos\b|\bflujo de efectivo\b|\bprecios\b|\bcostos\b|\bganancias\b|\bfinanzas\b|\bgastos\b|\bdeclaracion(?:es)?\b|\bnomina\b
""")
_RX = _patterns(r"""
goal_rejected | \b(?:no (?:quiero|necesito|me interesa|busco|ocupo)|ni|sin)\b
no_time | \b(?:no tengo|no tenemos|casi no tengo|tengo (?:muy )?poco|no me queda)\s+(?:nada de |mucho )?tiempo\b(?!\s+(?:de|para|pa)\b)
per_day | \b(?:al|por|x|cada) dia\b|\bdiari[oa]s?\b|\btodos los dias\b|\ba diario\b
weekdays | \b(?:de lunes a viernes|entre semana)\b
weekend | \b(?:fines? de semana|sabados? y domingos?|los sabados|los domingos)\b
per_week | \b(?:(?:a la|por|cada|x|en la) semana|semanal(?:es|mente)?)\b
per_month | \b(?:(?:al|por|cada) mes|mensual(?:es|mente)?)\b
sentence_end | [.;!?]
correction | ^\W*(?:no|nel|nop|perdon|error|ups|oops)\b|\b(?:me equivoque|en realidad|mas bien|quise decir|corrijo|correccion|me confundi|no es asi)\b
profile_request | \b(?:mi perfil|mis datos|que sabes (?:de|sobre) (?:mi|mi negocio|nosotros)|que (?:datos |informacion )?tienes (?:de|sobre) mi|que has entendido|resumen de mi (?:negocio|perfil)|que recuerdas de mi|que guardaste)\b
""")
_HOURS_RX = re.compile(
    rf"\b(?:(?P<a>{NUM})\s*(?:(?:o|a|-)\s*(?:{NUM})\s*)?(?P<u>horas?|hrs?|h|minutos?|mins?)\b"
    r"(?P<half> y media)?|(?P<m>media) hora\b|(?P<hm>hora y media)\b)"
)
_DAYS = re.compile(rf"\b({NUM}) dias (?:a la|por|x|cada|de la|en la) semana\b")
# Hours after these words are opening or working hours, not time to learn.
_WORK_CUES = set(
    "abro abrimos abierto abierta abre trabajo trabajamos jornada turno horario atiendo atendemos "
    "cierro cerramos hace tardo tarda tardamos chambeo".split()
)
_AVAILABLE = set(
    "dedicar dedicarle dedico disponible disponibles libre libres tengo tendria puedo podria "
    "aprender estudiar capacitarme tiempo".split()
)


def _weekly_hours(text: str, short: bool) -> float | None:
    for m in _HOURS_RX.finditer(text):
        if _WORK_CUES.intersection(text[: m.start()].split()[-4:]):
            continue
        amount = 0.5 if m["m"] else 1.5 if m["hm"] else _num(m["a"]) + (0.5 if m["half"] else 0)
        amount = amount / 60 if (m["u"] or "").startswith("min") else amount
        end = _RX["sentence_end"]
        sentence = end.split(text[: m.start()])[-1] + " " + end.split(text[m.end() :])[0]
        said = {
            k
            for k in ("per_day", "weekdays", "weekend", "per_week", "per_month")
            if _RX[k].search(sentence)
        }
        if "per_month" in said:
            weekly = amount / 4.3
        elif days := _DAYS.search(sentence):
            weekly = amount * _num(days.group(1))
        elif "per_day" in said:
            # A daily amount "on weekends" counts twice; on weekdays five times.
            weekly = amount * (5 if "weekdays" in said else 2 if "weekend" in said else 7)
        elif said:
            # "los fines de semana 2 horas" reads as 2 h in total: under-promising keeps plans doable.
            weekly = amount
        elif short or _AVAILABLE.intersection(sentence.split()):
            weekly = amount
        else:
            continue
        if 0 < weekly <= 60:
            return round(weekly, 1)
    return 1.0 if _RX["no_time"].search(text) else None


def _goals(text: str) -> list[str]:
    rejected = _RX["goal_rejected"]
    return [
        goal
        for goal, rx in _GOAL_RX.items()
        if any(
            not rejected.search(" ".join(text[: m.start()].split()[-4:])) for m in rx.finditer(text)
        )
    ]


# First match wins, so the more specific roles come first.
_ROLE_RX = _patterns(r"""
developer | \bsoy (?:un |una |el |la )?(?:programador(?:a)?|desarrollador(?:a)?|developer|dev|ingenier[oa] de software)\b|\byo programo\b
it | \b(?:soy|trabajo) (?:el |la )?(?:de |en )?(?:sistemas|soporte tecnico|informatica|el area de (?:sistemas|ti|it))\b|\bencargad[oa] de (?:ti|it|sistemas|tecnologia|soporte|informatica|computo)\b|\bsoy (?:el |la )?(?:de )?(?:ti|it)\b|\b(?:administrador de sistemas|sysadmin)\b
owner | \bsoy (?:el |la )?(?:dueñ[oa]|duen[oa]|propietari[oa]|patr[oó]n|patrona|fundador(?:a)?|emprendedor(?:a)?)\b|\b(?:tengo|tenemos|abri|puse) (?:un|una|mi|nuestro|nuestra) (?:propi[oa] )?(?:negocio|empresa|changarro|emprendimiento|local|puesto)\b|\bmi (?:propio )?(?:negocio|empresa|changarro|emprendimiento)\b
employee | \bsoy (?:un |una )?emplead[oa]\b|\btrabajo (?:en|para) (?:un|una|el|la|los|las)\b(?! (?:mañanas|tardes|noches|fines|campo|rancho|casa))|\bmi (?:jefe|jefa|patr[oó]n|patrona)\b|\bsoy (?:el |la )?(?:encargad[oa]|gerente|cajer[oa]|vendedor(?:a)?|mesero|mesera|asistente|auxiliar|recepcionista)\b
""")


def _role(text: str, owns_sector: bool) -> str | None:
    for role, rx in _ROLE_RX.items():
        if any(not re.search(r"\bno\s*$", text[: m.start()]) for m in rx.finditer(text)):
            return role
        if role == "owner" and owns_sector:
            return role
    return None


_CORRECTABLE = {"sector", "employees", "state", "city", "weekly_hours", "role", "signals", "goals"}


def is_profile_request(text: str) -> bool:
    """The user asks what we know about them ("mi perfil", "¿qué sabes de mí?")."""
    return bool(_RX["profile_request"].search(normalize(text)))


@dataclass(frozen=True)
class ProfileUpdate:
    """A new profile plus what changed and whether the user corrected an earlier answer."""

    profile: BusinessProfile
    changed: list[str]
    corrected: bool


class ProfileExtractor:
    """Reads one user message at a time and returns the updated business profile."""

    def __init__(self, sectors: Iterable[Sector] = ()):
        given = {s.id: s for s in sectors}
        fallback = {s.id: s for s in _FALLBACK_SECTORS}
        self.sectors: dict[str, Sector] = fallback | given
        # The sector files' aliases come first, so they win where a word appears in two sectors.
        entries = [(a, s.id) for s in given.values() for a in (*s.aliases, s.name)]
        entries += [(a, s.id) for s in fallback.values() for a in s.aliases]
        self._index = PhraseIndex(entries, blocklist=_SECTOR_BLOCKLIST, min_fuzzy=6)

    def _sector(self, clauses: list[Clause], short: bool) -> tuple[str, bool] | None:
        best = None
        for ci, clause in enumerate(clauses):
            for hit in self._index.find(clause.words):
                before = clause.words[max(0, hit.start - 4) : hit.start]
                cue = bool(_BUSINESS_CUES.intersection(before))
                owned = bool(before) and before[-1] in {"mi", "nuestra", "nuestro"}
                if not owned and _SKIP_CUES.intersection(before[-3:]):
                    continue
                # In questions only an owned business counts; "vivo en Palenque" is a town.
                if not cue and (clause.question or is_place(hit.phrase)):
                    continue
                rank = (cue, hit.phrase not in _WEAK, -ci, -hit.start)
                if best is None or rank > best[0]:
                    best = (rank, hit.value, cue or (short and not clause.question))
        return (best[1], best[2]) if best else None

    def _signals(self, clauses: list[Clause], current: list[str], fixing: bool) -> list[str]:
        signals = list(current)
        for clause in (c for c in clauses if not c.question):
            line = " ".join(clause.words)
            for sig, (_, _, rx) in _SIGNALS.items():
                for m in rx.finditer(line):
                    before = re.split(r"\b(?:pero|aunque|sino|y)\b", line[: m.start()])[-1]
                    if sig == "no_computer" or not _NOT_USED.intersection(before.split()[-4:]):
                        signals += [] if sig in signals else [sig]
                    elif sig in signals and (fixing or "ya no" in line):
                        signals.remove(sig)
        return signals

    def update(self, profile: BusinessProfile, message: str) -> ProfileUpdate:
        """Profile after `message`; a new value replaces an old one only when stated explicitly."""
        text = normalize(message)
        clauses = split_clauses(message)
        short = sum(len(c.words) for c in clauses) <= 5
        fixing = bool(_RX["correction"].search(text))
        new = profile.model_copy(deep=True)

        sector = self._sector(clauses, short)
        if sector and sector[0] != new.sector and (new.sector is None or sector[1]):
            s = self.sectors[sector[0]]
            new.sector, new.sector_name, new.activity = s.id, s.name, s.activity
        if (employees := _employees(text)) is not None:
            new.employees = employees
        if new.employees is not None:
            new.size = size_for(new.employees, new.activity)

        loc = find_location(message)
        if loc and (new.state is None or loc.explicit):
            keep_city = loc.city is None and loc.state == new.state
            new.state, new.city = loc.state, new.city if keep_city else loc.city

        signals = self._signals(clauses, new.signals, fixing)
        if signals != new.signals or (signals and new.maturity is None):
            new.signals = signals
            new.maturity, new.maturity_reason = maturity(signals)

        goals = _goals(text)
        if goals:
            replace = fixing and "tambien" not in text
            new.goals = goals if replace else new.goals + [g for g in goals if g not in new.goals]

        if (hours := _weekly_hours(text, short)) is not None:
            new.weekly_hours = hours
        owns = bool(sector and re.search(r"\b(?:tengo|tenemos) (?:un|una|mi|dos|tres)\b", text))
        if (role := _role(text, owns)) is not None:
            new.role = role

        changed = [f for f in type(new).model_fields if getattr(new, f) != getattr(profile, f)]
        was = [f for f in changed if f in _CORRECTABLE and getattr(profile, f) not in (None, [])]
        return ProfileUpdate(new, changed, corrected=fixing and bool(was))
