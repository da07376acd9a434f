"""Tables for the profile readers (profile.py and the modules it calls, places.py): cities, tool signals, goal,
hour, language and role patterns, and the cue words around them. Patterns run on normalized
text. Sectors are not here: they come only from knowledge/sectors.yaml."""

from __future__ import annotations

import re


def table(block: str) -> list[list[str]]:
    """The rows of a table block below, each line's cells split at " | "."""
    return [line.split(" | ") for line in block.strip().splitlines()]


def patterns(block: str) -> dict[str, re.Pattern[str]]:
    """A table block of `name | regex` rows, compiled."""
    return {key: re.compile(rx) for key, rx in table(block)}


# Everyday words one typo away from a sector word.
SECTOR_BLOCKLIST = "herrera reparo bolsillo academica tabaqueria canina cochina papeleo".split()
BUSINESS_CUES = set(
    "tengo tenemos es somos negocio dedico dedicamos empresa soy trabajo mi mis nuestro nuestra "
    "puse abri atiendo vendo vendemos hago hacemos fabrico fabricamos produzco producimos doy damos "
    "administro administramos".split()
)
# Owners who write in English ("I run a small tour agency", "we have a shoe store"): their words
# for the owner and the business, read as the Spanish ones the sector aliases know. Longest first.
ENGLISH_TRADES = {
    "i run": "tengo",
    "i own": "tengo",
    "i have": "tengo",
    "i manage": "administro",
    "we run": "tenemos",
    "we own": "tenemos",
    "we have": "tenemos",
    "my family has": "tenemos",
    "my": "mi",
    "our": "nuestro",
    "bakery": "panaderia",
    "bakeries": "panaderias",
    "tour agency": "agencia de tours",
    "tour operator": "agencia de tours",
    "travel agency": "agencia de viajes",
    "shoe store": "zapateria",
    "shoe shop": "zapateria",
    "restaurant": "restaurante",
    "barber shop": "barberia",
    "barbershop": "barberia",
    "beauty salon": "salon de belleza",
    "hair salon": "salon de belleza",
    "nail salon": "salon de belleza",
    "grocery store": "tienda de abarrotes",
    "convenience store": "tienda de abarrotes",
    "corner store": "tienda de abarrotes",
    "pharmacy": "farmacia",
    "drugstore": "farmacia",
    "hardware store": "ferreteria",
    "laundromat": "lavanderia",
    "laundry": "lavanderia",
    "auto repair shop": "taller mecanico",
    "mechanic shop": "taller mecanico",
    "car repair shop": "taller mecanico",
    "clothing store": "tienda de ropa",
    "clothes shop": "tienda de ropa",
    "clothing boutique": "tienda de ropa",
    "flower shop": "floreria",
    "florist": "floreria",
    "butcher shop": "carniceria",
    "tortilla shop": "tortilleria",
    "gym": "gimnasio",
    "vet clinic": "veterinaria",
    "veterinary clinic": "veterinaria",
    "daycare": "guarderia",
    "dental office": "consultorio dental",
    "stationery store": "papeleria",
    "candy store": "dulceria",
    "ice cream shop": "paleteria",
    "real estate agency": "inmobiliaria",
    "funeral home": "funeraria",
    "coffee shop": "cafeteria",
    "taco stand": "taqueria",
    "cattle ranch": "rancho ganadero",
    "dairy farm": "rancho lechero",
    "avocado orchard": "huerta de aguacate",
    "print shop": "imprenta",
    "printing shop": "imprenta",
    "marketing agency": "agencia de marketing",
    "digital marketing agency": "agencia de marketing",
    "advertising agency": "agencia de publicidad",
    "ad agency": "agencia de publicidad",
    "accounting firm": "despacho contable",
    "accounting office": "despacho contable",
    "law firm": "despacho de abogados",
    "law office": "despacho de abogados",
    "consulting firm": "consultoria",
    "design studio": "diseño grafico",
    "web design": "diseño web",
    "insurance agency": "agente de seguros",
    "car wash": "autolavado",
    "tire shop": "llantera",
    "bike shop": "taller de bicicletas",
    "food truck": "puesto de comida",
    "ice cream parlor": "paleteria",
    "hostel": "hostal",
    "bed and breakfast": "hotel",
    "vacation rentals": "renta vacacional",
    "tour company": "agencia de tours",
    "dental clinic": "consultorio dental",
    "dental lab": "laboratorio dental",
    "pet shop": "tienda de mascotas",
    "furniture store": "muebleria",
    "jewelry store": "joyeria",
    "optical store": "optica",
    "bookstore": "libreria",
    "cleaning company": "empresa de limpieza",
    "security company": "empresa de seguridad privada",
    "construction company": "constructora",
    "architecture firm": "despacho de arquitectura",
    "carpentry shop": "carpinteria",
    "yoga studio": "estudio de yoga",
    "language school": "escuela de idiomas",
}
SKIP_CUES = {"no", "ni", "quiero", "quisiera", "gustaria", "como", "tipo", "compre", "comprar"}
# Words for a place of business, not a trade: in "taller de velas", "distribuidora de pintura" or
# "clínica de belleza" the words after "de" say what the business is; the place word alone says
# nothing (a generic alias like "~taller" only stands when nothing else names the trade).
PREMISES = set(
    "taller tienda local negocio distribuidora distribuidor mayorista comercializadora despacho "
    "agencia clinica maquila maquiladora fabrica planta bodega puesto".split()
)
# Place words whose complement names the trade even when the place word is itself a business
# word: "consultorio de perros y gatos" is a vet, "tiendita de ropa" a clothes shop, "rancho de
# chivas" a goat farm. A school teaches its complement ("escuela de cocina" is still a school),
# so schools are not here.
PLACE_HEADS = PREMISES | set("consultorio consultorios tiendita changarro rancho granja".split())
# Place words that sell what follows them: "tienda de muebles" and "distribuidora de productos de
# limpieza" sell what a factory makes; they are shops, not factories.
SELLING_HEADS = set(
    "tienda tiendita local puesto changarro distribuidora distribuidor mayorista "
    "comercializadora".split()
)
# Sectors that make goods for others to sell: after a selling place word they name the goods.
MAKERS = {"manufactura", "textil"}
# Place words that make what follows them: "fábrica de dulces" makes candy, it is not a candy shop.
MAKING_HEADS = set("fabrica planta maquila maquiladora taller".split())
# Verbs of a service done to a place: what follows is a client ("fumigar casas, restaurantes y
# bodegas", "limpiamos oficinas y hoteles", "vigilamos fraccionamientos").
SERVICE_VERBS = re.compile(
    r"(?:fumig|limpi|desinfect|vigil|custodi|asesor|capacit|impermeabiliz|remodel)"
    r"(?:o|a|an|amos|ar|ando)"
)

UNITS = (
    "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis "
    "diecisiete dieciocho diecinueve veinte veintiuno veintidos veintitres veinticuatro veinticinco "
    "veintiseis veintisiete veintiocho veintinueve"
).split()
TENS = "treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()

# Maturity rule: the level is the highest of the signals' levels (no computer 1, phone/WhatsApp 2,
# social media/CFDI/Excel/website/AI chat 3, online sales/cloud/card terminal 4, ERP or CRM 5);
# website + online sales + AI together also reach 5. Columns: id | level | phrase | pattern.
# "WA" stands for any spelling of WhatsApp.
SIGNALS = r"""
no_computer | 1 | sin computadora | \bno (?:le )?(?:se|sabe|saben|sabemos|manejo|maneja|manejan|manejamos|uso|usa|usan|usamos|tengo|tenemos|ocupo|conozco|entiendo|entiende|entienden|entendemos)\b(?: \w+){0,3} (?:compus?|computadoras?|computacion|laptops?|pc|lap)\b|\bsin (?:compu|computadora|laptop)\b|\bni (?:siquiera )?(?:se|sabe|saben|sabemos)\b(?: \w+){0,3} (?:compus?|computadoras?|computacion|laptops?|pc|lap)\b|\b(?:nunca|jamas) (?:he |hemos )?(?:usado|tenido|agarrado|tocado|manejado|prendido)(?: \w+){0,2} (?:compus?|computadoras?|laptops?|pc|lap)\b|\b(?:compus?|computadoras?|laptops?) (?:nunca|jamas) (?:la |las |lo )?(?:he |hemos )?(?:usado|tenido|agarrado|tocado|manejado|prendido)\b|\b(?:compus?|computadoras?|computacion|laptops?) (?:(?:yo|la|las|lo|le) )?(?:no|ni) (?:(?:la|las|le|lo) )?(?:se|sabemos|manejo|manejamos|uso|usamos|entiendo)\b(?! (?:si|cuando|donde|cual|que)\b)
smartphone | 2 | celular | \b(?:celular|cel|smartphone|telefono inteligente|iphone|android)\b
whatsapp | 2 | WhatsApp | \bWA\b
whatsapp_business | 2 | WhatsApp Business | \bWA business\b|\bcatalogo (?:de|en) WA\b
social_media | 3 | redes sociales | \b(?:facebook|face|fb|instagram|insta|tik ?tok|redes sociales|redes|fanpage|youtube)\b
cfdi | 3 | factura electrónica | \b(?:cfdi|factur(?:o|amos)|facturas? electronicas?|facturacion electronica|timbr(?:o|amos|ado)|(?:doy|damos|emito|emitimos|hago|hacemos) facturas?|contpaq\w*|aspel)\b
spreadsheet | 3 | Excel | \b(?:excel|hojas? de calculo|spreadsheet)\b
website | 3 | una página web | \b(?:pagina web|sitio web|pagina de internet|sitio de internet|website|mi web|wordpress|wix|dominio propio)\b
uses_ai | 3 | herramientas de IA | \b(?:chat ?gpt|gpt|gemini|copilot|claude|perplexity|meta ai|inteligencia artificial)\b
online_sales | 4 | una tienda en línea o marketplace | \bvend\w* (?:\w+ ){0,3}(?:en|por) (?:facebook|face|fb|instagram|insta|tik ?tok|marketplace|WA)\b|\btiendas? (?:de|en) (?:facebook|face|instagram|insta)\b|\b(?:booking|airbnb|expedia|mercado ?libre|amazon(?! (?:bedrock|web services|q|sagemaker)\b)|tienda (?:en linea|online|virtual)|shopify|tienda ?nube|woocommerce|marketplace|vend(?:o|emos) (?:en|por) (?:linea|internet)|ventas (?:en linea|por internet|online)|rappi|uber eats|didi food|e ?commerce)\b
cloud_tools | 4 | herramientas en la nube | \b(?:google drive|drive|google sheets|sheets|hojas de calculo de google|dropbox|one ?drive|en la nube|icloud|google docs|office 365|microsoft 365)\b
pos_terminal | 4 | una terminal de cobro | \b(?:terminal|cobr(?:o|amos|ar) con tarjetas?|acept(?:o|amos) tarjetas?|pagos? con tarjetas?|clip|mercado pago|punto de venta|getnet|zettle|sumup)\b
office_automation | 4 | Excel avanzado (macros) | \b(?:macros?|vba|tablas? dinamicas?|excel avanzado|power ?bi|power query)\b
programming | 5 | herramientas de programación | \b(?:programo|programamos|(?:se|sabemos) programar|python|sql|javascript|typescript|php|java)\b
erp | 5 | un sistema administrativo (ERP) | \b(?:erp|sap|odoo|netsuite|microsip|sistema administrativo|sistema de gestion)\b
crm | 5 | un CRM | \b(?:crm|hubspot|salesforce|zoho|pipedrive|kommo)\b
"""
# Words that, just before a tool, mean the user does not use it (yet).
NOT_USED = set(
    "no ni nunca sin tampoco quiero quisiera gustaria aprender necesito empezar interesa "
    # "busco cursos de Python": a tool named as something to learn is not one in use.
    "curso cursos clase clases".split()
)
NO_COMPUTER_REASON = (
    "Todavía no usas computadora; empezaremos con lo que puedes hacer desde el celular."
)
# What the next level would add, as "todavía no …" phrases.
NEXT = {
    2: [("social_media", "usas redes sociales"), ("cfdi", "facturas electrónicamente")],
    3: [("online_sales", "vendes en línea"), ("cloud_tools", "usas herramientas en la nube")],
    4: [("erp", "usas un sistema administrativo o CRM"), ("uses_ai", "usas herramientas de IA")],
}

GOALS = r"""
sell_more | \bvender (?:mas|mejor)\b|\bvend(?:o|emos|a|amos) mas\b|\bmas (?:clientes|turistas|visitantes|compradores|ventas|reservas?|reservaciones|pedidos|socios|alumnos|pacientes|huespedes|inscripciones|comensales|chambas|trabajos|encargos|contratos|proyectos|obras)\b|\bventas\b|\b(?:conseguir|atraer|nuevos) (?:mas )?clientes\b|\bcrecer\b|\b(?:quiero|quisiera|gustaria|necesito|queremos|quisieramos|necesitamos) vender(?:lo|la|los|las|le|les)?\b|\bvender(?:lo|la|los|las)? (?:\w+ ){0,3}?(?:con|bajo) (?:nuestra|mi|su) (?:propia )?marca\b|\bmeter(?:lo|la|los|las|nos|me)? (?:(?:la|mi|nuestra|el|nuestro|mis|nuestros|nuestras) (?:marca|producto|productos|mercancia) )?(?:a|en) (?:las |los )?(?:tiendas|supermercados|super|oxxos?|cadenas|walmart|soriana|chedraui|farmacias)\b|\b(?:se (?:me |nos )?)?(?:va|van|fue|fueron) sin comprar\b|\b(?:quieren|piden|buscan) pagar con tarjeta\b|\bbajaron (?:los turistas|los clientes|la gente|las visitas)\b|\bllenar\b|\btemporada baja\b|\breservas? directas\b|\bocupacion\b|\b(?:me|nos) compr(?:en|an) mas\b|\b(?:pierdo|perdemos|se (?:me|nos) van) (?:\w+ )?(?:clientes|ventas|pedidos|encargos)\b|\b(?:venderle|vender|vendamos|compren|pidan|pidieran|contraten|contrataran|lleguen) (?:\w+ ){0,4}?(?:de|en|a|desde|hasta) (?:otr[oa]s (?:ciudades|estados|pueblos|lados|paises)|(?:gente )?(?:de )?fuera|afuera|todo el pais|los pueblos (?:de alrededor|cercanos|vecinos)|el otro lado|el extranjero)\b|\b(?:esta|estan|se queda|se quedan|queda|quedan) (?:\w+ )?vaci[oa]s\b|\b(?:esta|se queda|queda) vaci[oa]\b|\bse (?:me |nos )?quedan? sin (?:nadie|gente|clientes|huespedes|pedidos|ventas)\b|\bquier(?:e|en) vender\b|\b(?:casi )?no (?:vendo|vendemos) (?:nada|casi nada|nadita|lo suficiente)\b|\bcasi no (?:vendo|vendemos)\b|\b(?:vendo|vendemos) (?:muy |bien |re |bastante )?poco\b|\b(?:casi )?nadie (?:me |nos )?compra\b|\bcasi no (?:me |nos )?compran\b|\b(?:ya )?(?:casi )?no (?:entra|entran|llega|llegan|viene|vienen) (?:ni )?(?:gente|clientes|clientela|nadie|(?:ni )?un cliente)\b|\bpocas ventas\b|\bandamos (?:muy )?(?:flojos|lentos)\b|\bno hay (?:ventas|venta|clientes|movimiento|chamba|jale|trabajo|pedidos|encargos)\b|(?<!\bno )\b(?:quiero|quisiera|necesito|ocupo|busco|queremos|necesitamos|ocupamos|buscamos) clientes\b
customer_service | \batender mejor\b|\bno (?:me|nos) (?:doy|damos|da|dan) abasto(?: \w+){0,8}? (?:contest|respond|atend|mensaj|whats|pregunt)\w*|\batender (?:mejor )?(?:a )?(?:(?:los|mis) )?clientes\b|\batencion\b|\b(?:saben|sepan|aprendan a|saber) atender\b|\bpedidos\b(?! (?:a|con|al|de) (?:los |mis |nuestros |el |mi )?proveedor)|\b(?:responder|contestar)(?:les)? (?:mas rapido |rapido |a tiempo )?(?:(?:los |mis |a los |a mis )?(?:mensajes|whats\w*|preguntas|dudas|clientes)|mas rapido|rapido)\b|\bmensajes\b|\bcitas\b|\bagendar\b|\b(?:sacar|agendar|apartar|reservar|hacer) (?:su |sus |una |la )?citas?(?: sol[oa]s?)?\b|\breservaciones\b|\bservicio al cliente\b|\brecordatorios?\b|\b(?:me|nos) preguntan (?:lo mismo|todo|mucho|siempre)\b|\bvarios idiomas\b|\bno (?:alcanzo a |alcanzamos a |les )?(?:contesto|contestamos|respondo|respondemos)\b|\bchatbot\b|\bbot\b|\b(?:respondo|contesto|respondemos|contestamos) (?:\w+ ){0,3}?(?:hasta )?(?:muy |bien )?(?:tarde|(?:en )?la noche|al otro dia|el otro dia)\b|\b(?:espere|esperen|esperan|espera|esperar) (?:mucho|tanto|demasiado|horas)\b|\b(?:preguntan|escriben|hablan|llaman|piden|mandan mensajes?) (?:\w+ ){0,3}?en (?:ingles|frances|aleman|italiano|portugues|otro idioma|otros idiomas)\b|\b(?:respondo|contesto|respondemos|contestamos) (?:\w+ ){0,3}?hasta (?:las \d+|la madrugada)\b|\bavisar(?:le|les)? (?:a )?(?:la gente|los clientes|mis clientes|las clientas|mis clientas|cada cliente|los pacientes|los papas)\b|\b(?:llegan|llega|vienen|viene|faltan|falta|cancelan|cancela) (?:a )?(?:su|sus|la|las) citas?\b|\b(?:me|nos) (?:dejan?|dejaron|dejo) plantad[oa]s?\b|\bcancel\w* (?:\w+ ){0,2}?(?:al|a|de) (?:ultim[oa]s?|ultima hora|ultimo momento|ultimo minuto)\b|\bno se (?:presentan?|aparecen?) (?:a )?(?:su|sus|la|las) (?:citas?|consultas?|sesion(?:es)?|turnos?|clases?)\b|\b(?:me la paso|nos la pasamos|me paso|nos pasamos|ando|andamos) (?:todo el dia |el dia )?(?:contestando|respondiendo)\b|\b(?:me|nos) (?:escriben|mandan mensajes?|preguntan|marcan|llaman) (?:\w+ ){0,2}?(?:todo el dia|a todas horas|a cada rato|un chorro|sin parar|de noche|en la madrugada)\b|\bse (?:me|nos) (?:pierden|pierde|perdio|perdieron|olvidan|olvida|olvido|olvidaron|pasan|pasa|traspapelan|empalman|cruzan) (?:\w+ ){0,2}?(?:pedidos|citas|encargos|mensajes|reservaciones|apartados)\b|\btiempo (?:de|para|pa) (?:contest|respond|atend)\w*|\b(?:tardo|tardamos) (?:mucho|muchisimo|bastante|un buen|horas) (?:en|para|pa) (?:contest|respond|atend)\w*
save_time | \bahorrar(?:me|nos)? (?:mas )?tiempo\b|\bno (?:me|nos) (?:doy|damos|da|dan) abasto\b(?!(?: \w+){0,8}? (?:contest|respond|atend|mensaj|whats|pregunt))|\bautomatiz\w*|\bno (?:me|nos) (?:da|alcanza|rinde) (?:el )?(?:tiempo|dia)\b|\b(?:me|nos) (?:tardo|tardamos) (?:muchas |varias |mucho |todo el |toda la )?(?:horas|dias|mucho|bastante|dia|tarde)\b|\b(?:pierdo|perder|perdemos) (?:mucho )?tiempo\b|\btareas repetitivas\b|\b(?:me|nos) quitan? (?:mucho |mas |harto |bastante |un buen de )?tiempo\b|\bpapeleo\b|\bmas rapido\b|(?:\b(?:notas|cuentas|recibos|facturas|cotizaciones|presupuestos|inventarios?|registros|reportes|pedidos|listas|tickets|vales|cartas porte|tramites|papeles) (?:\w+ ){0,4}?)?\b(?:me|nos) (?:llevan?|toman?|quitan?|cuestan?) (?:muchas |mucho |muchisimo |muchisimas |bastante |un buen de |harto |varias )?(?:horas|tiempo|dias)\b|\bse (?:me|nos) van? (?:muchas |varias )?(?:horas|dias)\b|\bse (?:me|nos) va (?:mucho |todo |harto )?(?:el )?tiempo\b|\bresumir\b|\bresumenes\b|\b(?:notas|cuentas|recibos|facturas|cotizaciones|presupuestos|inventarios?|registros|reportes|pedidos|listas|tickets|vales) (?:(?:lo|las|los) )?(?:hago|hacemos|llevo|llevamos|apunto|apuntamos|anoto|anotamos|escribo|saco|sacamos) a mano\b|\b(?:hago|hacemos|llevo|llevamos|saco|sacamos) (?:las |los |el )?(?:notas|cuentas|recibos|facturas|cotizaciones|presupuestos|inventarios?|registros|reportes|pedidos|listas|tickets|vales) a mano\b|\b(?:pierdo|perdemos|perder|se (?:me |nos )?va|me paso|nos pasamos) (?:toda la |todo el |medio |la |el |las |los )?(?:mañana|manana|tarde|dia|noches|tardes|dias|fines de semana)\b|\b(?:notas|cuentas|recibos|facturas|cotizaciones|presupuestos|inventarios?|registros|reportes|pedidos|listas|tickets|vales) (?:\w+ ){0,2}(?:uno|una) por (?:uno|una)\b|\b(?:me la paso|nos la pasamos|me paso|nos pasamos|se (?:me|nos) va (?:todo )?(?:el dia|la semana|la tarde|la manana|la mañana)) (?:\w+ ){0,2}?(?:haciendo|llenando|capturando|sacando|armando|pasando|cuadrando|apuntando|anotando|ensenando|enseñando|ensenandole|enseñandole|ensenandoles|enseñandoles|explicando|explicandole|explicandoles|capacitando)\b|\b(?:me|nos) (?:come|comen|roba|roban|chupa|chupan) (?:todo |toda |medio |casi todo |casi toda )?(?:el dia|la tarde|la manana|la mañana|las tardes|la semana|el tiempo|horas|mucho tiempo)\b|\b(?:hago|hacemos) (?:todo|todito|todas las cosas) a mano\b|\b(?:me|nos) (?:tardo|tardamos) (?:un buen|un chorro|un montonal|horas|siglos|una eternidad)\b(?!(?: \w+){0,3}? (?:contest|respond|atend|mensaj|whats|pregunt))|\b(?:tengo|tenemos|hay) que (?:ensenar|enseñar|explicar|capacitar)(?:le|les)? (?:\w+ ){0,2}?(?:todo|de nuevo|otra vez|desde cero|cada vez)\b|\b(?:ensenar|enseñar|capacitar|explicar)(?:le|les)? (?:todo )?(?:a )?(?:cada|los|las) (?:nuev[oa]s?|que entra|que entran)\b|\b(?:tardo|tardamos) (?:mucho|muchisimo|bastante|un buen|horas) (?:en|para|pa) (?!contest|respond|atend)\w+
inventory | \binventarios?\b|\b(?:re)?surtir\b|\bse (?:me|nos) acab\w*|\bno (?:tengo|tenemos|hay|habia|tenia) (?:la |el |las |los )?(?:pieza|piezas|producto|mercancia|refaccion|refacciones|material|surtido|existencia)\b|\bexistencias\b|\b(?:me|nos) falta(?:n|ron)? (?:cosas|productos?|mercancia|piezas|material|surtido|refacciones)\b|\bcuant[oa]s? (?:\w+ ){0,2}?(?:tengo|tenemos|hay|me queda|me quedan|nos queda|nos quedan) (?:de cada|en (?:la |el )?(?:bodega|almacen|anaquel|refri|congelador))|\bstock\b|\bmercancia\b|\balmacen\b|\bcaducidad\b|\b(?:caduc(?:a|o|an|aron|ado|ados|ada|adas)|caduqu(?:e|en))\b|\bmermas?\b|\bse (?:me|nos) (?:echa|echan) a perder\b|\b(?:me|nos) (?:quedo|quedamos|quede) sin (?!tiempo|dinero|lana|clientes|chamba|trabajo|luz|internet|ganas|empleados)\w+|\bse (?:me |nos )?(?:agot(?:o|aron|an|a)|terminaron)\b|\b(?:la|lo|las|los) (?:tengo|tenemos) que tirar\b|\b(?:tirar|tiro|tiramos|se tira|se tiran) (?:\w+ ){0,2}?(?:producto|mercancia|carne|pan|leche|fruta|verdura|comida|queso)\b|\bse (?:me |nos )?(?:pudre|pudren|pudrio|marchita|marchitan|agria|agrian)\b|\b(?:sobra|sobran) (?:\w+ ){0,3}?(?:y )?(?:se tiran?|(?:la|lo|las|los) tiramos|(?:la|lo|las|los) tiro)\b|\bcompr(?:o|e|amos) de mas\b|\b(?:lo|la|los|las) (?:tengo|tenemos) (?:q|ke) tirar\b|\ben (?:la |mi )?(?:bodega|almacen) (?:\w+ ){0,3}?(?:que|q) no se venden?\b|\bno (?:me |nos )?cuadra(?:n)? (?:\w+ ){0,4}?(?:con )?(?:lo (?:que|q) hay|el inventario|las existencias|la mercancia|el anaquel|la bodega|el almacen)\b|\b(?:me|nos) falta(?:n|ron)? (?:las|los|lo) (?:que|q) (?:si|mas) (?:piden|se venden?|buscan|me piden|nos piden)\b
marketing | \bpublicidad\b|\banunciar\w*|\bredes sociales\b|\bpromociones?\b|\banuncios?\b|\bpublicaciones\b|\bpublicar\b|\bmarketing\b|\bmercadotecnia\b|\bdar(?:me|nos) a conocer\b|\bque me conozcan\b|\bgoogle maps\b|\bresenas\b|\bque (?:me|nos) encuentren\b|\bvisibilidad\b|\b(?:me|nos) recomienden\b|\bde boca en boca\b|\bsalir (?:mas )?en (?:google|internet|redes)\b|\b(?:me|nos) (?:conozca|conozcan|ubique|ubiquen)\b|\b(?:nadie|poca gente|pocos) (?:me |nos )?(?:conoce|conocen|sabe que (?:existo|existimos|estamos|estoy))\b|\bsepan que (?:existo|existimos|estamos)\b|\b(?:postear|posteo|posts?|likes?|seguidores)\b|\b(?:busque|busquen|buscan|busca|aparezca|aparezco|aparecer|salga|salgo) (?:\w+ ){0,3}?en (?:google|internet|face\w*|insta\w*)\b|\b(?:no se|ni idea|no tengo idea de?) (?:ni )?(?:q|que) (?:subir|postear|publicar|poner|anunciar)\b|\b(?:q|que) (?:subir|postear|publicar|poner|subo|publico|posteo|pongo) (?:\w+ )?(?:a|al|en) (?:el |la |las |mis |los )?(?:face|facebook|fb|insta|instagram|tiktok|redes|estados|pagina|publicaciones)\b|\b(?:(?:la gente|los clientes|muchos|mucha gente) no|nadie|casi nadie) (?:sabe|saben|conoce|conocen) (?:que (?:existo|existimos|estamos|estoy)|(?:de )?(?:nosotros|mi negocio|el negocio|el local))\b
finance | \b(?:las|mis|llevar|llevo|sacar) cuentas\b|\bcontabilidad\b|\bfactura(?:s|cion|r)\b|\bimpuestos\b|\bflujo de efectivo\b|\bprecios\b|\bcostos?\b|\bganancias\b|\bfinanzas\b|\bgastos\b(?! medicos)|\bdeclaracion(?:es)?\b|\bnomina\b|\bconciliacion\w*|\bbancari[oa]s?\b|\bcolegiaturas?\b|\bcobranza\b|\bcobrar(?:le|les)?\b|\babonos\b|\b(?:paguen|pagan|pague|paga) (?:a tiempo|puntual\w*)\b|\bno (?:me|nos) (?:pagan?|pagaron|pago|han pagado)\b|\bfiados?\b|\bfia(?:ron|mos|r|rles)\b|\b(?:le |les )?fio (?:mucho|a|al|a los|harto|bastante)\b|\b(?:me|nos) (?:quedan|quedaron) (?:a )?deber\b|\bque (?:me|nos) paguen\b|\bcuanto (?:vendo|vendemos|gasto|gastamos|me entra|nos entra)\b|\b(?:me|nos) deben?\b|\b(?:me|nos) pagan (?:cuando (?:quieren|pueden|se acuerdan)|tarde|a destiempo)\b|\bcuanto (?:me|nos) cuesta\b|\bcuanto (?:gano|ganamos)\b|\bse (?:nos|me) atrasan? (?:los |las |en los |con los )?(?:pagos|colegiaturas|cobros|abonos)\b|\bse (?:nos|me) atrasan? mucho\b|\bgano o pierdo\b|\bsi (?:gano|ganamos|pierdo|perdemos)\b(?! tiempo)|\b(?:me|nos) deja (?:o no|dinero|ganancia)\b|\b(?:con|en) (?:los|sus|el|su) pagos?\b|\bse (?:me|nos) (?:va|van|fue|iba) (?:\w+ ){0,2}?(?:la lana|el dinero|la feria|el varo|los centavos)\b|\b(?:no|nunca|jamas) (?:me |nos )?cuadra(?:n)? (?:la caja|las cuentas|el corte|los numeros|el dinero|la lana|los pesos)\b|\b(?:la caja|las cuentas|el corte|los numeros|el dinero|la lana|los pesos) (?:\w+ ){0,3}?(?:no|nunca) (?:me |nos )?cuadra(?:n)?\b|\b(?:estoy|estamos|esta|ando|andamos|vamos|voy) (?:\w+ )?perdiendo (?:dinero|lana|feria|varo)\b|\bno (?:me |nos )?(?:sale|salen|alcanza|da) (?:ni )?(?:pa|para) (?:pagar |cubrir )?(?:el |la |los |las )?(?:alimento|renta|gastos|nomina|sueldos|insumos|materia prima|quincena|raya)\b|\b(?:me|nos) (?:entrega(?:n)?|dan|pasan) (?:la |las )?cuentas?\b|\b(?:me|nos) entrega(?:n)? complet[oa]s?\b(?: lo (?:de|del) (?:la |las |los |el )?\w+)?|\babonitos\b|(?:\b(?:pa|para) \w+(?: \w+){0,4}? )?(?:\b(?<!tarjeta de )(?<!tarjetas de )(?<!\ba )(?<!\bal )creditos?|\bprestamos?\b(?! (?:de )?servicios?)|\bfinanciamientos?|\bpresta(?:n|r|rme|rnos)?\b(?! (?:el |un |los )?servicios?)|\bpedir prestado)\b(?:(?: \w+){0,3}? (?:pa|para) \w+)?
retention | \b(?:que )?(?:los |mis |las )?(?:clientes|clientas|pacientes|huespedes|socios|alumnos|comensales)? ?(?:regresen|vuelvan|repitan|sigan viniendo)\b|\bclientes? (?:frecuentes|recurrentes|fieles)\b|\bfideli\w*|\blealtad\b|\b(?:no )?se (?:me |nos )?(?:den|dan) de baja\b|\bdarse de baja\b|\brecordatorios?\b|\bno (?:regresa|regresan|vuelve|vuelven)\b|\b(?:vienen|vinieron|compran|van|llegan) (?:solo |nomas |nada mas )?una (?:sola )?vez\b|\bno (?:los |las |le |les )?(?:vuelvo|volvemos) a ver\b|\b(?:se inscriben?|se apuntan?|entran?|vienen|llegan?)\b.{0,40}\b(?:desaparec\w+|dejan? de (?:venir|ir|comprar)|ya no (?:vienen?|regresan?|vuelven?))\b|\bdejan de (?:venir|comprar)\b|\bse (?:me|nos) van (?:como |unos |unas |mas de |hasta )?\d+\b|\b(?:clientes|clientas|clientela|pacientes|socios|alumnos|alumnas|huespedes|comensales|compradores|marchantes|gente)(?: \w+){0,5}? se (?:me |nos )?(?:estan |andan )?(?:van|fueron|yendo|pasan|pasaron|pasando|cambian|cambiaron|cambiando) (?:\w+ ){0,2}?(?:con|a|al|para) (?:la |el |los |las )?(?:competencia|otr[oa]s?|(?:\w+ )?de (?:enfrente|al lado|la esquina|junto))\b|\b(?:la gente|el cliente|la clienta|el paciente|el huesped|el socio|el alumno) (?:\w+ )?(?:regrese|vuelva|repita|siga viniendo)\b|\bya no (?:me |nos )?(?:vuelve|vuelven|regresa|regresan) a (?:pedir|comprar|venir|llamar|contratar|escribir|consumir)\b
maintenance | \bmantenimiento\b|\bpredecir fallas\b|\bfallas? (?:de|en) (?:las |los |mis |nuestras? )?(?:maquinas?|equipos?|unidades|camiones|motores|lineas?)\b|\bse (?:me |nos )?descompon\w*|\bdescomposturas?\b|\bparos? de (?:linea|maquinas?|produccion)\b|\bmaquinas? (?:paradas|descompuestas)\b|\b(?:maquinas?|equipos?|hornos?|camiones|camionetas?|unidades|motores|refris?) (?:\w+ )?(?:fallan|falla|fallando|se descomponen|se paran|se paro)\b|\bse (?:me |nos )?(?:paren|paran|detienen|detengan) (?:las |los |mis )?(?:maquinas?|equipos?|hornos?|lineas?|camiones|unidades|motores)\b|\bse (?:me |nos )?(?:atora|atoran|atoro|traba|traban|calienta|calientan|sobrecalienta\w*|desviel\w*|desbiel\w*|apaga|apagan)\b|\bse (?:me |nos )?qued(?:a|an|o|aron) tirad[oa]s?\b|\bse (?:me |nos )?(?:para|paran|paro|pararon) (?:a cada rato|seguido|cada \w+|diario|mucho)\b
quality | \bcalidad\b|\bdefect\w*|\bpiezas? (?:malas|defectuosas|rechazadas)\b|\brechazos? de (?:piezas|producto|clientes)\b|\bmerma de produccion\b|\bdevoluciones\b(?! de (?:iva|impuestos|saldo))|\b(?:me|nos) (?:devuelv\w+|regres\w+) (?:\w+ ){0,2}?(?:pedidos|productos?|prendas|piezas|mercancia|trabajos|lotes|playeras|muebles|pasteles)\b|\brebabas?\b|\brechaz\w* (?:\w+ ){0,2}?(?:lotes?|piezas|pedidos|embarques?|produccion|producto)\b|\blotes? rechazad[oa]s\b|\b(?:salen|sale|quedan|queda|vienen|llegan|salieron|quedaron|entregamos|entrego|entregan|regresamos|mandamos) (?:con )?(?:\w+ ){0,2}?(?:defectos?|fallas|rebaba|hilos sueltos|chuec[oa]s?|disparej[oa]s?|mal hech[oa]s?|mal terminad[oa]s?|mal cosid[oa]s?|rayad[oa]s?|manchad[oa]s?|torcid[oa]s?|desnivelad[oa]s?|crud[oa]s?|quemad[oa]s?|revuelt[oa]s?|arrugad[oa]s?|rot[oa]s|golpead[oa]s|despegad[oa]s|descosid[oa]s|desteñid[oa]s|destenid[oa]s|borros[oa]s|rajad[oa]s|agrietad[oa]s)\b|\b(?:me|nos) (?:estan |andan |han )?(?:regres|devuelv|devolv|rebot|rechaz)\w* (?:\w+ ){0,3}?(?:porque|porq|porke|xq|pq|por que|por q)\b|\bse (?:les? |me |nos )?(?:despega|despegan|zafa|zafan|descose|descosen|desti(?:ñ|n)en?|desbarata|desbaratan|deshilacha\w*|cuartea|cuartean|decolora|decoloran|encoge|encogen|cristaliza|cristalizan|desmorona|desmoronan|deforma|deforman|despinta|despintan)\b|\b(?:llega|llegan|llego|llegaron|sale|salio|viene) (?:\w+ ){0,2}?(?:derretid[oa]s?|rot[oa]s|golpead[oa]s?|aplastad[oa]s?|apachurrad[oa]s?|descosid[oa]s?|despegad[oa]s?|aguad[oa]s?)\b|\b(?:devuelva|devuelvas|devolver|devolverles|devolvamos|regrese|regresarles) (?:\w+ ){0,2}?(?:el|su|sus) (?:dinero|lana|pago)\b
"""
# Owners' pains said as a thing and what goes wrong with it, in either order and at most four
# words apart, in one clause: "falla el refri", "el congelador ya no congela bien" (maintenance),
# "el jitomate se me pudre", "se nos desaparece cemento" (inventory), "apartan su cita y luego ni
# llegan" (customer_service: no-shows, as the appointment ideas read them). Columns: goal | the things
# | what goes wrong. Each row joins the goal's patterns in GOALS (profile.py); a thing or a verb
# alone says nothing ("tengo dos camionetas", "se me va la luz").
PAINS = r"""
maintenance | maquinas?|maquinaria|equipos?(?! de (?:trabajo|ventas|futbol))|hornos?|refris?|refrigerador(?:es)?|congelador(?:es)?|congeladoras?|camaras? (?:frias?|de refrigeracion)|vitrinas?|enfriador(?:es)?|compresor(?:es)?|camion(?:es)?|camionetas?|unidades|motos?|motor(?:es)?|tractor(?:es)?|bombas?|lavadoras?|secadoras?|aires? acondicionados?|aires?|climas?|minisplits?|molinos?|tortilladoras?|trompos?|estufas?|freidoras?|planchas?|prensas?|montacargas|cortadoras?|selladoras?|batidoras?|revolvedoras?|compactadoras?|tornos?|inyectoras?|calderas?|boilers?|calentador(?:es)? | fallan?|fallo|fallaron|fallando|se (?:me |nos |le |les )?(?:descompon\w*|descompuso|descompusieron|averi\w+|para|paran|paro|pararon|traba|traban|trabo|atora|atoran|atoro|calienta|calientan|sobrecalienta\w*|apaga|apagan|apago|desviel\w*|rompe|rompen|rompio|rompieron|fundio|fundieron|desajusta\w*)|(?:ya )?no (?:enfria|enfrian|congela|congelan|calienta|calientan|prende|prenden|arranca|arrancan|jala|jalan|sirve|sirven|funciona|funcionan|centrifuga|centrifugan|filtra|filtran|muele|muelen|enciende|encienden|corta|cortan|sella|sellan)|truena|truenan|trono|tronaron|descompuest[oa]s?|se qued(?:a|an|o|aron) tirad[oa]s?|(?:tira|tiran|pierde|pierden) aceite|gotea|gotean|hacen? ruido|echan? humo
customer_service | citas?|sesion(?:es)?|apartan|agendan?|agend(?:o|aron)|reservan | (?:ya )?(?:ni|no) (?:llegan?|vienen?|se (?:presentan?|aparecen?)|avisan?)|(?:me |nos )?(?:dejan?|dejaron) plantad[oa]s?|(?:me |nos )?(?:la |las |lo |los )?cancelan (?:al|a|de) ultim\w*
inventory | mercancias?|productos?|material(?:es)?|insumos|materia prima|frutas?|verduras?|jitomates?|tomates?|aguacates?|carnes?|pollo|pescado|mariscos|pan|leche|lacteos|quesos?|yogurt?s?|yogures|flores?|rosas|pares|zapatos|tenis|tallas|numeros|ropa|prendas|piezas|refacciones|cemento|varillas?|blocks?|tabiques?|herramientas?|cajas|botellas|garrafones|medicinas?|medicamentos?|comida|ingredientes|surtido|telas?|madera|pintura|llantas|refrescos|cervezas?|dulces|paletas|helados?|masa|huevos?|semillas|granos?|abarrotes|latas|costales | se (?:me |nos |le |les )?(?:pudre|pudren|pudrio|pudrieron|echa a perder|echan a perder|echo a perder|marchita|marchitan|marchito|caduca|caducan|vence|vencen|vencio|hace mal[oa]|hacen mal[oa]s|pone mal[oa]|ponen mal[oa]s|agria|agrian|apolilla|apolillan|pierde|pierden|perdio|perdieron|desaparece|desaparecen|desaparecio|roban|robaron|queda (?:meses|semanas|mucho tiempo|sin vender|parad[oa]|rezagad[oa]|arrumbad[oa])|quedan (?:meses|semanas|mucho tiempo|sin vender|parad[oa]s|rezagad[oa]s|arrumbad[oa]s))|(?:me|nos) (?:roban|robaron)|caducad[oa]s|vencid[oa]s|podrid[oa]s|nunca (?:tengo|tenemos|hay)|sobra|sobran|se tira|se tiran|(?:que|q) no se venden?
"""
# Goals by meaning: owner phrases for each goal of knowledge/models.py `Goal`, compared with
# the wish in a message when no rule named a goal (assistant/understanding/sectors.py). "none"
# holds wishes that are not business goals (learning, prices): a message nearest to them says
# no goal. Written fresh, not copied from evals/ or tests.
GOAL_PROTOTYPES = {
    "sell_more": [
        "quiero vender más y tener más clientes",
        "necesito que entren más ventas al negocio",
        "quiero que más gente me compre",
        "busco llenar el local, tengo pocos clientes",
        "se me cayeron las ventas",
        "quiero conseguir más pedidos y más clientes nuevos",
        "la competencia me está quitando las ventas",
        "quiero que me compren desde otras ciudades y otros estados",
        "quiero vender fuera de mi pueblo",
        "muchos días el local se queda vacío",
        "quiero que me contraten más seguido",
    ],
    "customer_service": [
        "quiero atender mejor a mis clientes",
        "necesito responder rápido los mensajes de WhatsApp",
        "me escriben mucho y no alcanzo a contestar a todos",
        "tardo mucho en responderle a la gente",
        "quiero que mis clientes reciban respuesta a sus dudas",
        "se me juntan las preguntas de los clientes",
        "la gente pregunta lo mismo una y otra vez y no me da la vida",
        "la gente se enoja porque le contesto muy tarde",
        "los clientes esperan mucho a que alguien los atienda",
        "me escriben a todas horas y no alcanzo a responder",
        "los clientes me escriben en otro idioma y nadie les sabe contestar",
        "la gente no llega a su cita o cancela de último minuto",
    ],
    "save_time": [
        "quiero ahorrar tiempo en el trabajo",
        "no me da tiempo de hacer todo",
        "hago todo a mano y pierdo horas",
        "quiero automatizar las tareas repetitivas",
        "se me va el día en papeleo",
        "necesito que el trabajo se haga más rápido",
        "no me doy abasto con tanto trabajo",
        "me tardo horas en hacer cotizaciones y presupuestos",
        "todo lo hago a mano en papel",
        "las notas y los recibos los hago a mano",
        "me paso horas haciendo lo mismo cada día",
    ],
    "inventory": [
        "quiero controlar mi inventario",
        "se me acaba la mercancía y no me doy cuenta",
        "necesito saber cuánto producto me queda en el almacén",
        "se me echa a perder el producto",
        "quiero saber cuándo resurtir",
        "no sé qué tengo en existencia",
        "llevo mal el control de lo que hay en bodega",
        "me quedo sin lo que más se vende",
        "nunca sé cuánto tengo de cada producto",
        "se me termina la mercancía sin darme cuenta",
        "tengo que tirar lo que no se vendió",
        "lo que anoto no cuadra con lo que hay en el anaquel",
    ],
    "marketing": [
        "quiero darme a conocer",
        "necesito publicidad en redes sociales",
        "quiero que la gente sepa que mi negocio existe",
        "busco que me encuentren en Google",
        "quiero hacer anuncios y promociones",
        "necesito que más gente vea mi negocio en internet",
        "nadie ve lo que publico en redes",
        "no sé qué subir a Facebook o Instagram",
        "mis publicaciones casi no tienen likes",
    ],
    "finance": [
        "quiero llevar bien mis cuentas",
        "no sé cuánto gano de verdad",
        "necesito saber si el negocio deja ganancia",
        "quiero controlar mis gastos y mis ingresos",
        "no sé en qué se me va el dinero",
        "quiero saber cuánto me queda después de pagar todo",
        "la lana no me rinde y no sé por qué",
        "quiero poner bien mis precios",
        "no sé si el negocio me deja dinero",
        "los clientes se tardan en pagarme",
        "no sé si de verdad le gano a lo que vendo",
        "la feria no me alcanza y no sé en qué se va",
    ],
    "retention": [
        "quiero que mis clientes regresen",
        "necesito que los clientes vuelvan a comprar",
        "vienen una vez y ya no regresan",
        "quiero tener clientes fieles",
        "busco que me sigan comprando los mismos clientes",
        "se me van los clientes con la competencia",
        "los clientes vienen una vez y no los vuelvo a ver",
        "la gente se inscribe y al rato deja de venir",
        "quiero que el que viene una vez se vuelva cliente de siempre",
        "cada mes pierdo socios que ya estaban inscritos",
    ],
    "maintenance": [
        "quiero darle mantenimiento a mis máquinas",
        "se me descomponen los equipos",
        "necesito que no fallen las máquinas",
        "quiero saber cuándo revisar los camiones antes de que fallen",
        "se me paró la máquina y perdí días de trabajo",
        "los equipos se averían seguido",
        "quiero saber cuándo toca el servicio de los equipos",
        "la máquina se atora y se calienta",
        "los camiones se quedan tirados en el camino",
        "se nos paran los equipos a cada rato",
    ],
    "quality": [
        "quiero mejorar la calidad de mis productos",
        "me salen piezas con defectos",
        "necesito que el producto salga bien hecho siempre",
        "los clientes me devuelven productos por fallas",
        "quiero menos errores en la producción",
        "se me rechazan lotes por mala calidad",
        "me regresan pedidos porque vienen mal",
        "que todo salga igual de bien, sin errores de fabricación",
        "las piezas salen con rebaba y rayones",
        "el cliente nos rechaza la producción",
        "los productos salen mal terminados",
        "los clientes se quejan de que el trabajo queda mal hecho",
    ],
    # Wishes that are not business goals: what the owner wants to learn or find here.
    "none": [
        "quiero aprender a usar la computadora",
        "me interesa tomar una capacitación",
        "busco un curso gratis en línea",
        "quiero entender cómo funciona ChatGPT",
        "necesito información sobre los apoyos del gobierno",
        "quiero estudiar programación",
        "dónde me inscribo a las clases",
        "quiero certificarme",
        "quiero usar inteligencia artificial",
        "se me hace caro",
        "necesito que me expliques",
        "no tengo tiempo para estudiar",
        "no sé usar la computadora",
        "tengo una tienda en la colonia",
        "atiendo en mi local de lunes a sábado",
        "somos cinco trabajadores",
        "no tenemos página ni computadora",
        "trabajo yo solo desde mi casa",
        "tengo tres horas a la semana para aprender",
        "pásame la ruta de cursos",
        "no le entiendo al inglés",
    ],
}

PATTERNS = r"""
goal_rejected | \b(?:no (?:quiero|queremos|necesito|necesitamos|(?:me |nos )?interesan?|busco|buscamos|ocupo|ocupamos)|sin)\b|(?<!se )\bni\b(?! (?:se|sabemos|idea)\b)
no_time | \b(?:no tengo|no tenemos|casi no tengo|tengo (?:muy )?poco|no me queda)\s+(?:nada de |mucho )?tiempo\b(?!\s+(?:de|para|pa)\b)
per_day | \b(?:al|por|x|cada) dia\b|\bdiari[oa]s?\b|\btodos los dias\b|\ba diario\b
weekdays | \b(?:de lunes a viernes|entre semana)\b
weekend | \b(?:fines? de semana|sabados? y domingos?|los sabados|los domingos)\b
per_week | \b(?:(?:a la|por|cada|x|en la) semana|semanal(?:es|mente)?)\b
per_month | \b(?:(?:al|por|cada) mes|mensual(?:es|mente)?)\b
sentence_end | [.;!?]
correction | ^\W*(?:(?:ah|a|ay|oh|uy|ups|perdon|perdona|disculpa)\W+)*(?:(?:no|nel|nop)(?=\W*$|\W*[,.;!]|\s+(?:es|son|somos|soy|era|eran|eramos|estoy|estamos|esta|vivo|vivimos|en|de|mas bien|sino|perdon|mejor|tengo \d|tenemos \d|\d)\b)|perdon|perdona|error|ups|oops)\b|\b(?:me equivoque|nos equivocamos|en realidad|mas bien|quise decir|quice decir|corrijo|correccion|corrige|me confundi|no es asi|en (?:vez|lugar) de|envez de|cambia(?:lo|la|le)? (?:a|por)|\d+,? no (?:son |somos )?\d+|cambia (?:la ciudad|el estado|el numero|el giro)|ponle|pon que|mejor pon|no (?:son|somos|es|estamos|estoy|soy) (?:\d+|\w+),? (?:son|somos|es|estamos|estoy|soy|sino)\b|no (?:el|la|los|las) de\b|,\s*no (?:(?:el|la|de|del|es|un|una) )?\w+(?=\W*$))\b
profile_request | \b(?:mi perfil|mis datos|que sabes (?:de|sobre) (?:mi|mi negocio|nosotros)|que (?:datos |informacion )?tienes (?:de|sobre) mi|que has entendido|resumen de mi (?:negocio|perfil)|que recuerdas de mi|que guardaste)\b
"""
RULES = patterns(PATTERNS)
# Hours after these words are opening or working hours, not time to learn.
WORK_CUES = set(
    "abro abrimos abierto abierta abre trabajo trabajamos jornada turno horario atiendo atendemos "
    "cierro cerramos hace tardo tarda tardamos chambeo".split()
)
AVAILABLE = set(
    "dedicar dedicarle dedico disponible disponibles libre libres tengo tendria puedo podria "
    "aprender estudiar capacitarme tiempo".split()
)
# A bare number ("unas 2 a la semana") is time to learn only after these words, as a short
# reply to "¿cuántas horas…?"; "vendo unos 20 a la semana" is something else.
HOURS_FILLER = AVAILABLE | set(
    "pues ps pos este bueno si ok va sale como unas unos mas o menos aproximadamente aprox casi "
    "mejor no perdon entonces siempre mas bien "
    "tal vez quiza quizas igual digamos nomas nada solo solamente maximo minimo a lo mejor mucho "
    "yo creo que le darle meterle dar meter entre de y".split()
)

# Titles of people who work in someone else's business ("soy la encargada", "le escribe el caporal").
STAFF_TITLES = (
    r"(?:encargad[oa]|gerente|cajer[oa]|vendedor(?:a)?|mesero|mesera|asistente|auxiliar|"
    r"recepcionista|administrador(?:a)?|despachador(?:a)?|dependiente|supervisor(?:a)?|ayudante|"
    r"secretari[oa]|caporal|capataz|mayordomo|mandador|velador|chofer)"
)
# First match wins, so the more specific roles come first. "it_helper" is someone who looks after
# the business's computer or website ("yo le veo lo de la compu"): it, unless they own the business.
ROLES = r"""
developer | \b(?:soy|trabajo (?:como|de)|chambeo (?:como|de)|me dedico a) (?:un |una |el |la )?(?:programador(?:a)?|desarrollador(?:a)?|developer|dev|ingenier[oa] de software)(?:es)?\b|\byo programo\b|\bi(?: a|')?m an? (?:freelance |web |software |full ?stack |backend |frontend )?(?:developer|programmer|software engineer|dev)\b|\bme dedico a (?:programar|desarrollar)\b|\b(?:me dedico|nos dedicamos|trabajo|chambeo) (?:al|en) (?:el )?desarrollo de (?:software|sistemas|apps|aplicaciones|paginas|sitios)\b
it | \b(?:soy|trabajo) (?:el |la )?(?:de |en )?(?:sistemas|soporte tecnico|informatica|el area de (?:sistemas|ti|it))\b|\b(?:encargad[oa]|responsable|jef[ea]|gerente|coordinador(?:a)?|director(?:a)?|lider|administrador(?:a)?|a cargo) (?:del area |del departamento )?de (?:ti|it|sistemas|tecnologia|soporte|informatica|computo)\b|\bsoy (?:el |la )?(?:ingenier[oa]|licenciad[oa]|tecnic[oa]) en (?:sistemas|informatica|computacion)\b|\bsoy (?:el |la )?(?:de )?(?:ti|it)\b|\b(?:administrador de sistemas|sysadmin)\b
owner | \bsoy (?:el |la )?(?:[a-zñ]+ (?:general )?(?:y|e) )?(?:dueñ[oa]|duen[oa]|propietari[oa]|copropietari[oa]|patr[oó]n|patrona|fundador(?:a)?|cofundador(?:a)?|emprendedor(?:a)?|soci[oa])\b|\b(?:es|son) (?:de (?:mi|mis) [a-z]+ y )?(?:mio|mia|mios|mias)\b|\b(?:es|son) nuestr[oa]s?(?= ?(?:$|[,.;:!?]))|\b(?:la|el|los|las) (?:mia|mio|mias|mios) (?:esta|estan|queda|es|son|se)\b|\b(?:trabajo|chambeo) (?:por mi cuenta|independiente)\b|\b(?:herede|heredamos) (?:el|la|los|las|su|sus)\b|\b(?:me quede con|nos quedamos con) (?:el|la|los|las|su|sus) [a-zñ]+(?: [a-zñ]+)? de (?:mi|mis)\b|\b(?:era|fue) de (?:mi|mis) [a-zñ]+,? (?:y |pero )?(?:ahora|hoy|ya)\b(?! no\b)|\b(?:trabajo|chambeo) sol[oa](?= ?(?:$|[,.;:!?]| y\b| sin\b| con mi\b))|\bsoy independiente\b|\bmis? soci[oa]s?,? (?:y )?yo\b|\byo y mis? soci[oa]s?\b|\bi(?: a|')?m the owner\b|\bi (?:own|run) (?:a|an|my|the)\b|\bmy (?:own )?(?:business|shop|store|restaurant|company)\b|\b(?:tengo|tenemos|abri|puse) (?:un|una|mi|nuestro|nuestra) (?:propi[oa] )?(?:negocio|empresa|changarro|emprendimiento|local|puesto)\b|\bmi (?:propio )?(?:negocio|empresa|changarro|emprendimiento)\b
it_helper | \b(?:le |les )?(?:veo|llevo|manejo|muevo|checo) (?:todo )?lo de (?:la |las |los |el )?(?:compus?|computadoras?|computacion|sistemas?|pagina(?: web)?|internet|tecnologia)\b|\bme (?:encargo|hago cargo|ocupo) (?:de |del )?(?:todo )?(?:lo de )?(?:la |las |los |el )?(?:compus?|computadoras?|computacion|sistemas?|pagina(?: web)?|sitio web|soporte|tecnologia|computo|internet)\b|\bsoy (?:el|la) que (?:le )?(?:sabe|entiende|mueve|maneja) (?:de |a )?(?:lo de )?(?:la |las |los |el )?(?:compus?|computadoras?|computacion|tecnologia|sistemas?|internet)\b
employee | \bsoy (?:un |una )?emplead[oa]\b|\bi work (?:at|for|in) (?:a|an|the)\b|\btrabajo (?:en|para) (?:un|una|el|la|los|las)\b(?! (?:mañanas|tardes|noches|fines|campo|rancho|casa))|\b(?:trabajo|chambeo) (?:de|como) [a-z]+ (?:en|para) (?:un|una|el|la)\b|\bmi (?:jefe|jefa|patr[oó]n|patrona)\b|\bsoy (?:el |la |un |una )?{staff}\b|(?:\b(?:le|les|te) (?:escribe|habla|saluda)|(?:^|[,.;:!] ?|\bhola |\bbuenas )(?:aqui|habla)) (?:el |la )?{staff}(?= ?(?:$|[,.;:!]|del?\b))|\b(?:el|la|los|las) (?:dueñ[oa]s?|duen[oa]s?|patr[oó]n|patrones|patronas?|jef[ea]s?|doctor(?:a)?|licenciad[oa]) (?:\w+ )?(?:quieren?|me pidio|me pidieron|me dijo|me dijeron|me encargo|me encargaron|me mando|me mandaron|nos pidio|casi no|tienen? (?!que\b|obligacion\b|derecho\b|la obligacion\b|el derecho\b)(?![^.!?¿]*\?))
""".replace("{staff}", STAFF_TITLES)

# State = City lat lon [+alias ...]; ... Coordinates are approximate city centres. A name marked
# "^" is the namesake of a bigger town elsewhere: it is read only next to its own state
# ("Matamoros, Coahuila"); alone, the name is the bigger town. A name or alias marked "!" is also
# an everyday word or a surname ("el palenque familiar", "refaccionaria Juárez"): it names the
# town only after "en/de/desde/por", next to its state, or alone.
CITY_ROWS = """
Aguascalientes = Aguascalientes 21.88 -102.29
Baja California = Tijuana 32.53 -117.04 +tj; Mexicali 32.62 -115.45; Ensenada 31.87 -116.60 +valle de guadalupe; Tecate 32.57 -116.63; Rosarito 32.36 -117.05 +playas de rosarito; San Quintín 30.56 -115.94
Baja California Sur = La Paz 24.14 -110.31; Los Cabos 22.89 -109.92 +cabo san lucas +san jose del cabo; Loreto 26.01 -111.35; Guerrero Negro 27.96 -114.06; Ciudad Constitución 25.03 -111.66
Campeche = Campeche 19.85 -90.53; Ciudad del Carmen 18.65 -91.83; Escárcega 18.61 -90.74; Xpujil 18.51 -89.39 +calakmul
Chiapas = Tuxtla Gutiérrez 16.75 -93.12 +tuxtla; San Cristóbal de las Casas 16.74 -92.64 +san cristobal +sancris +san cris; Tapachula 14.90 -92.26; Comitán 16.25 -92.13; !Palenque 17.51 -91.98
Chihuahua = Chihuahua 28.63 -106.07; Ciudad Juárez 31.69 -106.42 +juarez chihuahua +!juarez; Hidalgo del Parral 26.93 -105.67 +parral; Ciudad Cuauhtémoc 28.41 -106.87; Nuevo Casas Grandes 30.42 -107.91 +casas grandes; Ojinaga 29.56 -104.41; Creel 27.75 -107.64
Ciudad de México = Iztapalapa 19.36 -99.06; Coyoacán 19.35 -99.16; Tlalpan 19.29 -99.17; Xochimilco 19.26 -99.10; Azcapotzalco 19.49 -99.18; Miguel Hidalgo 19.43 -99.20 +polanco; Gustavo A. Madero 19.48 -99.11 +gustavo a madero +gam; Álvaro Obregón 19.36 -99.22 +san angel; Tláhuac 19.28 -99.00
Coahuila = Saltillo 25.42 -101.00; Torreón 25.54 -103.41; ^!Matamoros 25.53 -103.23; Monclova 26.91 -101.42; Piedras Negras 28.70 -100.52; Ciudad Acuña 29.32 -100.93 +acuña
Colima = Colima 19.24 -103.72; Manzanillo 19.05 -104.32
Durango = Durango 24.02 -104.66; Gómez Palacio 25.57 -103.50; Santiago Papasquiaro 25.04 -105.42
Guanajuato = León 21.12 -101.68; Moroleón 20.13 -101.19; Uriangato 20.14 -101.17; Irapuato 20.67 -101.35; Celaya 20.52 -100.81; Salamanca 20.57 -101.19; Guanajuato 21.02 -101.26; San Miguel de Allende 20.91 -100.74 +san miguel allende; Silao 20.94 -101.43; Dolores Hidalgo 21.16 -100.93
Guerrero = Acapulco 16.85 -99.82; Chilpancingo 17.55 -99.50 +chilpo; Iguala 18.34 -99.54; Taxco 18.56 -99.60; Zihuatanejo 17.64 -101.55 +ixtapa +zihua
Hidalgo = Pachuca 20.10 -98.76 +pachuca de soto; Tulancingo 20.08 -98.36; Tula de Allende 20.05 -99.34 +tula; Huejutla 21.14 -98.42
Jalisco = Guadalajara 20.67 -103.35 +gdl +guanatos; Tepatitlán de Morelos 20.82 -102.76 +tepatitlan +tepa; Zapopan 20.72 -103.39; Tlaquepaque 20.64 -103.31 +san pedro tlaquepaque +tlaque; Tonalá 20.62 -103.23; Tlajomulco 20.47 -103.44; Puerto Vallarta 20.65 -105.23 +vallarta; Lagos de Moreno 21.36 -101.93; Ciudad Guzmán 19.70 -103.46; Autlán 19.77 -104.37
Estado de México = Toluca 19.29 -99.66; Ecatepec 19.60 -99.05; Nezahualcóyotl 19.40 -99.01 +neza +ciudad neza +ciudad nezahualcoyotl; Naucalpan 19.48 -99.24; Tlalnepantla 19.54 -99.19; Chalco 19.26 -98.90; Texcoco 19.51 -98.88; Metepec 19.26 -99.60; Cuautitlán Izcalli 19.65 -99.25 +izcalli; Ixtapaluca 19.32 -98.88; Chimalhuacán 19.42 -98.95; Atizapán 19.56 -99.25 +atizapan de zaragoza; Tecámac 19.71 -98.97; Valle de Bravo 19.19 -100.13
Michoacán = Morelia 19.70 -101.19; Uruapan 19.42 -102.06; Zamora 19.98 -102.28; Lázaro Cárdenas 17.96 -102.20; Pátzcuaro 19.51 -101.61; Apatzingán 19.09 -102.35
Morelos = Cuernavaca 18.92 -99.23 +cuerna; Cuautla 18.81 -98.95; Jiutepec 18.88 -99.18
Nayarit = Tepic 21.50 -104.89; Bahía de Banderas 20.80 -105.25 +nuevo vallarta
Nuevo León = Monterrey 25.69 -100.32 +mty; San Pedro Garza García 25.66 -100.40; San Nicolás de los Garza 25.75 -100.29 +san nicolas; !Guadalupe 25.68 -100.26; ^!Juárez 25.65 -100.10; Apodaca 25.78 -100.19; Santa Catarina 25.67 -100.46; General Escobedo 25.80 -100.33 +!escobedo; Linares 24.86 -99.57
Oaxaca = Oaxaca de Juárez 17.06 -96.73 +ciudad de oaxaca; Santiago Matatlán 16.86 -96.38 +matatlan; Miahuatlán de Porfirio Díaz 16.33 -96.60 +miahuatlan; Juchitán 16.43 -95.02 +juchitan de zaragoza; Salina Cruz 16.17 -95.20; San Blas Atempa 16.33 -95.23; Tuxtepec 18.09 -96.12; Huatulco 15.77 -96.13 +bahias de huatulco; Puerto Escondido 15.86 -97.07; Tehuantepec 16.32 -95.24; Pinotepa Nacional 16.34 -98.05 +pinotepa; Huajuapan de León 17.80 -97.78 +huajuapan
Puebla = Puebla 19.04 -98.21; Tehuacán 18.46 -97.39; Cholula 19.06 -98.30; Atlixco 18.91 -98.44; Teziutlán 19.82 -97.36; San Martín Texmelucan 19.28 -98.43 +texmelucan
Querétaro = Querétaro 20.59 -100.39; San Juan del Río 20.39 -99.99
Quintana Roo = Cancún 21.16 -86.85; Playa del Carmen 20.63 -87.08; Chetumal 18.50 -88.30; Tulum 20.21 -87.47; Cozumel 20.51 -86.95; Bacalar 18.68 -88.39
San Luis Potosí = San Luis Potosí 22.16 -100.99; Ciudad Valles 21.99 -99.01; Matehuala 23.65 -100.64
Sinaloa = Culiacán 24.81 -107.39 +culichi; Mazatlán 23.25 -106.41; Los Mochis 25.79 -108.99 +mochis; Topolobampo 25.60 -109.05; Guasave 25.57 -108.47
Sonora = Hermosillo 29.07 -110.96 +hmo; Ciudad Obregón 27.49 -109.94 +obregon; !Nogales 31.31 -110.94; Guaymas 27.92 -110.90; San Luis Río Colorado 32.46 -114.77; Navojoa 27.08 -109.44; Puerto Peñasco 31.32 -113.54; Caborca 30.72 -112.16
Tabasco = Villahermosa 17.99 -92.93; Comalcalco 18.26 -93.22; Tenosique 17.47 -91.42
Tamaulipas = Reynosa 26.09 -98.28; !Matamoros 25.87 -97.50; Nuevo Laredo 27.48 -99.52; Tampico 22.25 -97.86; Ciudad Madero 22.27 -97.83; Altamira 22.39 -97.94; Ciudad Victoria 23.74 -99.15; Ciudad Mante 22.74 -98.97 +el mante; San Fernando 24.85 -98.15
Tlaxcala = Tlaxcala 19.32 -98.24; Apizaco 19.42 -98.14; Huamantla 19.31 -97.92
Veracruz = Veracruz 19.17 -96.13 +puerto de veracruz; Xalapa 19.54 -96.91 +jalapa; Coatzacoalcos 18.14 -94.46 +coatza; Córdoba 18.88 -96.93; Orizaba 18.85 -97.10; Poza Rica 20.53 -97.46; Boca del Río 19.10 -96.10; Minatitlán 17.99 -94.55; Tuxpan 20.96 -97.40; Papantla 20.45 -97.32; San Andrés Tuxtla 18.45 -95.21
Yucatán = Mérida 20.97 -89.62; Valladolid 20.69 -88.20; Tizimín 21.14 -88.15
Zacatecas = Zacatecas 22.77 -102.58; Fresnillo 23.17 -102.87
"""

# More towns, same format: the seats of municipalities with more than about 50,000 people in
# INEGI's Censo de Población y Vivienda 2020 (https://www.inegi.org.mx/programas/ccpv/2020/,
# consulted 2026-12-04) that the rows above lacked, and towns owners name for their trade or
# their visitors (mezcal in Oaxaca's central valleys, sweaters in Moroleón and Uriangato,
# beaches, pueblos mágicos); Mexico City's best-known neighbourhoods name their alcaldía.
# Coordinates are approximate (the municipal seat).
MORE_CITY_ROWS = """
Aguascalientes = !Jesús María 21.96 -102.34; Calvillo 21.85 -102.72; Rincón de Romos 22.23 -102.32; Pabellón de Arteaga 22.15 -102.28 +pabellon; San Francisco de los Romo 22.07 -102.27
Baja California Sur = Santa Rosalía 27.34 -112.27; !Todos Santos 23.45 -110.22; Mulegé 26.89 -111.98
Campeche = Champotón 19.35 -90.72; Calkiní 20.37 -90.05; Hopelchén 19.75 -89.85; !Candelaria 18.18 -91.05; Hecelchakán 20.18 -90.13
Chiapas = Ocosingo 16.91 -92.09; Chilón 17.14 -92.28; Villaflores 16.23 -93.27; Cintalapa 16.70 -93.72; !Las Margaritas 16.31 -91.98; Chiapa de Corzo 16.71 -93.01 +chiapa; Ocozocoautla 16.76 -93.37 +coita; Huixtla 15.14 -92.46; ^Tonalá 16.09 -93.75; Pijijiapan 15.69 -93.21; Motozintla 15.37 -92.25; Villa Corzo 16.18 -93.27; Frontera Comalapa 15.66 -92.14; Chamula 16.79 -92.69 +san juan chamula; !Tila 17.30 -92.43; Yajalón 17.17 -92.33; !Arriaga 16.24 -93.90; Berriozábal 16.80 -93.27; Zinacantán 16.76 -92.72; Tenejapa 16.81 -92.51; Oxchuc 16.79 -92.34; Teopisca 16.54 -92.47; Simojovel 17.14 -92.71; Bochil 16.99 -92.89; Catazajá 17.73 -92.02
Chihuahua = !Delicias 28.19 -105.47 +ciudad delicias; !Camargo 27.67 -105.17; Meoqui 28.27 -105.48; Guachochi 26.82 -107.07; Batopilas 27.03 -107.74; ^Cuauhtémoc 28.41 -106.87
Ciudad de México = Benito Juárez 19.37 -99.16 +narvarte; Cuauhtémoc 19.43 -99.15 +tepito +tlatelolco +centro historico +!la roma +colonia roma +!la condesa +colonia condesa; Venustiano Carranza 19.43 -99.10 +!la merced; Iztacalco 19.40 -99.10; Cuajimalpa 19.36 -99.29 +cuajimalpa de morelos; Magdalena Contreras 19.31 -99.24 +la magdalena contreras; Milpa Alta 19.19 -99.02
Coahuila = Ramos Arizpe 25.54 -100.95; !Sabinas 27.85 -101.12; !Frontera 26.93 -101.45; Múzquiz 27.88 -101.52 +melchor muzquiz; !Parras 25.44 -102.18 +parras de la fuente; Francisco I. Madero 25.77 -103.27; !Nava 28.42 -100.77
Colima = Villa de Álvarez 19.27 -103.74; Tecomán 18.91 -103.87; Comala 19.32 -103.76
Durango = !Lerdo 25.54 -103.52 +ciudad lerdo; Canatlán 24.52 -104.78; Guadalupe Victoria 24.45 -104.12; Mapimí 25.83 -103.85; Nuevo Ideal 24.89 -105.07
Guanajuato = Pénjamo 20.43 -101.72; Valle de Santiago 20.39 -101.19; San Francisco del Rincón 21.02 -101.86; Acámbaro 20.03 -100.72; San Luis de la Paz 21.30 -100.52; Cortazar 20.48 -100.96; Salvatierra 20.21 -100.88; Apaseo el Grande 20.54 -100.69; Apaseo el Alto 20.46 -100.62; Yuriria 20.21 -101.13; Romita 20.87 -101.52; Purísima del Rincón 21.04 -101.88; Comonfort 20.72 -100.76; Villagrán 20.52 -100.99; Juventino Rosas 20.64 -101.00 +santa cruz de juventino rosas; San José Iturbide 21.00 -100.38; Tarimoro 20.29 -100.76; Jaral del Progreso 20.37 -101.06
Guerrero = Chilapa 17.59 -99.18 +chilapa de alvarez; Tlapa 17.55 -98.58 +tlapa de comonfort; Coyuca de Benítez 17.01 -100.09; Atoyac de Álvarez 17.21 -100.44; Ometepec 16.69 -98.41; Tixtla 17.57 -99.40; Teloloapan 18.37 -99.87; Petatlán 17.54 -101.27; Técpan de Galeana 17.22 -100.63; Ciudad Altamirano 18.36 -100.67; Huitzuco 18.30 -99.34; Marquelia 16.58 -98.82
Hidalgo = Mineral de la Reforma 20.07 -98.70 +pachuquilla; Tizayuca 19.84 -98.98; Ixmiquilpan 20.48 -99.22; Tepeji del Río 19.90 -99.34 +tepeji; Actopan 20.27 -98.94; Apan 19.71 -98.45; Ciudad Sahagún 19.77 -98.58 +tepeapulco; Zempoala 19.92 -98.67; Huichapan 20.38 -99.65; Huasca de Ocampo 20.20 -98.58 +huasca; Real del Monte 20.14 -98.67 +mineral del monte; Zimapán 20.74 -99.38; Tecozautla 20.53 -99.63; Mixquiahuala 20.23 -99.21; Cuautepec de Hinojosa 20.03 -98.31; Tenango de Doria 20.34 -98.23
Jalisco = !El Salto 20.52 -103.18; Ocotlán 20.35 -102.77; Arandas 20.70 -102.35; San Juan de los Lagos 21.25 -102.33; Chapala 20.29 -103.19 +ajijic; !La Barca 20.29 -102.55; Atotonilco el Alto 20.55 -102.51; Ameca 20.55 -104.05; Jocotepec 20.29 -103.43; Sayula 19.88 -103.60; Zapotlanejo 20.62 -103.07; Jalostotitlán 21.17 -102.46; San Miguel el Alto 21.03 -102.40; Yahualica 21.18 -102.89 +yahualica de gonzalez gallo; Mazamitla 19.91 -103.02; Tapalpa 19.94 -103.76; Encarnación de Díaz 21.52 -102.24; Cihuatlán 19.24 -104.57 +barra de navidad; Tomatlán 19.93 -105.25; Colotlán 22.11 -103.27; Juanacatlán 20.51 -103.17; Poncitlán 20.38 -102.92; El Grullo 19.81 -104.22; Cocula 20.37 -103.82; Teocaltiche 21.43 -102.57; Tototlán 20.54 -102.79; Acatic 20.78 -102.91; Tamazula 19.68 -103.25 +tamazula de gordiano; ^Tuxpan 19.55 -103.38
Estado de México = Nicolás Romero 19.62 -99.31; Tultitlán 19.65 -99.17; Coacalco 19.63 -99.11 +coacalco de berriozabal; Huixquilucan 19.36 -99.35; Valle de Chalco 19.29 -98.94 +valle de chalco solidaridad; ^La Paz 19.36 -98.98 +los reyes la paz; Chicoloapan 19.41 -98.90; Tultepec 19.69 -99.13; Zumpango 19.80 -99.10; Cuautitlán 19.67 -99.18; !Lerma 19.28 -99.51; Zinacantepec 19.28 -99.73; Almoloya de Juárez 19.37 -99.76; Tenancingo 18.96 -99.59; Ixtlahuaca 19.57 -99.77; Atlacomulco 19.80 -99.88; Jilotepec 19.95 -99.53; Acolman 19.64 -98.91; Huehuetoca 19.83 -99.20; Tenango del Valle 19.10 -99.59; Teotihuacán 19.69 -98.86 +san juan teotihuacan; San Mateo Atenco 19.27 -99.53; Temoaya 19.47 -99.59; Tejupilco 18.91 -100.15; Villa Victoria 19.43 -100.00; San Felipe del Progreso 19.71 -99.95; Amecameca 19.13 -98.77; Ixtapan de la Sal 18.84 -99.68; Malinalco 18.95 -99.50; Tepotzotlán 19.72 -99.22; Atenco 19.55 -98.92 +san salvador atenco; Chiconcuac 19.55 -98.90; Tianguistenco 19.18 -99.47; Tonatico 18.80 -99.67; Otumba 19.70 -98.76; Calimaya 19.17 -99.62; Tlalmanalco 19.20 -98.80; Teoloyucan 19.74 -99.18; Ocoyoacac 19.27 -99.46; Xonacatlán 19.40 -99.53
Michoacán = Zitácuaro 19.44 -100.36; Ciudad Hidalgo 19.69 -100.55; Sahuayo 20.06 -102.72; Jiquilpan 19.99 -102.72; !La Piedad 20.34 -102.03; !Los Reyes 19.59 -102.47 +los reyes de salgado; Tacámbaro 19.24 -101.46; Puruándiro 20.09 -101.51; Maravatío 19.89 -100.44; Huetamo 18.63 -100.90; Zinapécuaro 19.86 -100.83; Tarímbaro 19.79 -101.18; Paracho 19.65 -102.06; Yurécuaro 20.34 -102.28; Zacapu 19.81 -101.79; Jacona 19.96 -102.30; Nueva Italia 19.02 -102.10; Tangancícuaro 19.89 -102.21; !Cotija 19.81 -102.70; Santa Clara del Cobre 19.40 -101.64 +salvador escalante; Tlalpujahua 19.81 -100.17; !Quiroga 19.67 -101.52; Tzintzuntzan 19.63 -101.58; Cherán 19.68 -101.95; Angangueo 19.62 -100.29; Tepalcatepec 19.19 -102.85; Coalcomán 18.78 -103.16; Tancítaro 19.34 -102.36; Peribán 19.52 -102.42 +periban de ramos; Nuevo Parangaricutiro 19.42 -102.13 +san juan nuevo; Tingambato 19.50 -101.85; Ario de Rosales 19.21 -101.71; Taretan 19.34 -101.92; Ziracuaretiro 19.42 -101.91; Tocumbo 19.70 -102.53; Tingüindín 19.74 -102.48; Aguililla 18.73 -102.79; Acuitzio 19.50 -101.34
Morelos = Temixco 18.85 -99.23; Yautepec 18.88 -99.07; Emiliano Zapata 18.84 -99.18; Xochitepec 18.78 -99.23; Jojutla 18.62 -99.18; !Ayala 18.77 -98.98 +ciudad ayala; Tepoztlán 18.99 -99.10 +tepoz; Puente de Ixtla 18.62 -99.32; Zacatepec 18.65 -99.19; Tlaltizapán 18.69 -99.12; Axochiapan 18.50 -98.75; Yecapixtla 18.88 -98.86; Tlayacapan 18.96 -98.98; Oaxtepec 18.90 -98.97
Nayarit = Santiago Ixcuintla 21.81 -105.21; Compostela 21.24 -104.90; ^Tuxpan 21.94 -105.30; Ixtlán del Río 21.04 -104.37; San Blas 21.54 -105.29; Acaponeta 22.50 -105.36; Tecuala 22.40 -105.46; Sayulita 20.87 -105.44; Bucerías 20.76 -105.33; Rincón de Guayabitos 21.02 -105.27 +guayabitos
Nuevo León = !García 25.81 -100.59; Cadereyta 25.59 -99.98 +cadereyta jimenez; Salinas Victoria 25.96 -100.29; !Pesquería 25.79 -100.05; Montemorelos 25.19 -99.83; Sabinas Hidalgo 26.51 -100.18; Ciénega de Flores 25.95 -100.17; General Zuazua 25.89 -100.11 +zuazua
Oaxaca = Santa Cruz Xoxocotlán 17.03 -96.73 +xoxocotlan; Santa Lucía del Camino 17.07 -96.68; Tlaxiaco 17.27 -97.68 +heroica ciudad de tlaxiaco; Matías Romero 16.88 -95.04; Loma Bonita 18.11 -95.88; ^Ocotlán 16.79 -96.67 +ocotlan de morelos; Tlacolula 16.95 -96.48 +tlacolula de matamoros; Mitla 16.92 -96.36 +san pablo villa de mitla; Teotitlán del Valle 17.03 -96.52 +teotitlan; San Bartolo Coyotepec 16.96 -96.71 +coyotepec; Santa María del Tule 17.05 -96.64; Zaachila 16.95 -96.75 +villa de zaachila; Ejutla de Crespo 16.57 -96.73 +ejutla; Sola de Vega 16.52 -96.98 +villa sola de vega; Nochixtlán 17.46 -97.22 +asuncion nochixtlan; Putla 17.03 -97.93 +putla villa de guerrero; Jamiltepec 16.28 -97.82 +santiago jamiltepec; Pochutla 15.74 -96.47 +san pedro pochutla; Zipolite 15.66 -96.52; Mazunte 15.67 -96.55; Zimatlán 16.87 -96.78 +zimatlan de alvarez; Etla 17.20 -96.80 +villa de etla; Ixtepec 16.56 -95.10 +ciudad ixtepec; Juquila 16.24 -97.29 +santa catarina juquila; Huautla de Jiménez 18.13 -96.84 +huautla; San Dionisio Ocotepec 16.80 -96.40; Santa Catarina Minas 16.78 -96.63; San Baltazar Chichicápam 16.76 -96.49 +chichicapam; Capulálpam de Méndez 17.31 -96.45 +capulalpam; San Martín Tilcajete 16.86 -96.69 +tilcajete
Puebla = San Andrés Cholula 19.05 -98.30; San Pedro Cholula 19.06 -98.31; Amozoc 19.04 -98.04; Huauchinango 20.18 -98.05; Tecamachalco 18.88 -97.73; Izúcar de Matamoros 18.60 -98.47 +izucar; Zacatlán 19.93 -97.96 +zacatlan de las manzanas; Xicotepec 20.28 -97.96 +xicotepec de juarez; Acatzingo 18.98 -97.78; Tepeaca 18.97 -97.90; Cuautlancingo 19.09 -98.27; Ajalpan 18.37 -97.25; Chignahuapan 19.84 -98.03; Cuetzalan 20.02 -97.52 +cuetzalan del progreso; Tlatlauquitepec 19.85 -97.50; Zacapoaxtla 19.87 -97.59; Acatlán de Osorio 18.20 -98.05; Ciudad Serdán 18.99 -97.44 +chalchicomula; Huejotzingo 19.16 -98.41; Tetela de Ocampo 19.82 -97.81 +tetela
Querétaro = Corregidora 20.54 -100.44; El Marqués 20.62 -100.30; Tequisquiapan 20.52 -99.89 +tequis; Pedro Escobedo 20.50 -100.14; Ezequiel Montes 20.66 -99.90; Amealco 20.19 -100.14 +amealco de bonfil; Cadereyta de Montes 20.69 -99.82; Jalpan de Serra 21.22 -99.47 +jalpan; !Bernal 20.74 -99.94 +peña de bernal; Huimilpan 20.37 -100.28
Quintana Roo = Felipe Carrillo Puerto 19.58 -88.05 +carrillo puerto; Isla Mujeres 21.23 -86.73; Puerto Morelos 20.85 -86.87; José María Morelos 19.75 -88.71; Holbox 21.52 -87.38; Mahahual 18.71 -87.71 +majahual; Akumal 20.40 -87.32; Puerto Aventuras 20.50 -87.23
San Luis Potosí = Soledad de Graciano Sánchez 22.18 -100.94 +soledad de graciano; Rioverde 21.93 -99.99 +!rio verde; Tamazunchale 21.26 -98.79; Xilitla 21.39 -98.99; Ciudad Fernández 21.94 -100.02; Tamuín 22.00 -98.78; !Ébano 22.22 -98.38; Real de Catorce 23.69 -100.89; Villa de Reyes 21.80 -100.93; Santa María del Río 21.80 -100.74; ^Cárdenas 22.00 -99.65; Aquismón 21.62 -99.02
Sinaloa = Navolato 24.77 -107.70; !El Rosario 22.99 -105.86; Escuinapa 22.83 -105.78; Guamúchil 25.46 -108.08 +salvador alvarado; !El Fuerte 26.42 -108.62; Mocorito 25.48 -107.92; Badiraguato 25.36 -107.55; Cosalá 24.41 -106.69; Elota 23.96 -106.70 +la cruz de elota
Sonora = Agua Prieta 31.33 -109.55; !Empalme 27.96 -110.81; Huatabampo 26.83 -109.64; Etchojoa 26.91 -109.63; Magdalena de Kino 30.63 -110.96; Cananea 30.99 -110.29; !Álamos 27.03 -108.94; Bahía de Kino 28.82 -111.94; Nacozari 30.37 -109.69 +nacozari de garcia
Tabasco = !Cárdenas 18.00 -93.38; Huimanguillo 17.83 -93.39; Macuspana 17.76 -92.60; Cunduacán 18.07 -93.17; !Paraíso 18.40 -93.21; Nacajuca 18.17 -93.02; Jalpa de Méndez 18.18 -93.06; Teapa 17.55 -92.95; Tacotalpa 17.60 -92.83; Balancán 17.81 -91.54; ^Emiliano Zapata 17.74 -91.77; Jonuta 18.09 -92.14
Tamaulipas = !Río Bravo 25.99 -98.10; !Valle Hermoso 25.67 -97.81; Xicoténcatl 22.99 -98.94; Soto la Marina 23.77 -98.21; Miguel Alemán 26.40 -99.03 +ciudad miguel aleman; Jaumave 23.41 -99.38
Tlaxcala = Chiautempan 19.31 -98.19 +santa ana chiautempan; Calpulalpan 19.59 -98.57; Zacatelco 19.22 -98.24; Tlaxco 19.61 -98.12; San Pablo del Monte 19.12 -98.17; Papalotla 19.17 -98.20; Tetla 19.44 -98.10; Contla 19.33 -98.17; Ixtacuixtla 19.33 -98.38; Nativitas 19.23 -98.31
Veracruz = Martínez de la Torre 20.07 -97.06; !Tierra Blanca 18.45 -96.35; Pánuco 22.05 -98.18; Cosamaloapan 18.37 -95.80; !Álamo 20.92 -97.68 +alamo temapache; Acayucan 17.95 -94.91; Coatepec 19.45 -96.96; Las Choapas 17.91 -94.10; Tantoyuca 21.35 -98.23; Tihuatlán 20.72 -97.53; Cosoleacaque 18.00 -94.63; !Agua Dulce 18.14 -94.14; Tlapacoyan 19.96 -97.21; Perote 19.56 -97.24; Banderilla 19.59 -96.94; Xico 19.42 -97.01; Huatusco 19.15 -96.97; !Fortín 18.90 -97.00 +fortin de las flores; Ixtaczoquitlán 18.85 -97.06; !Río Blanco 18.83 -97.16; ^Nogales 18.82 -97.16; Ciudad Mendoza 18.80 -97.18; Zongolica 18.66 -96.99; Tlacotalpan 18.62 -95.66; !Alvarado 18.77 -95.76; Catemaco 18.42 -95.11; Santiago Tuxtla 18.47 -95.30; Cardel 19.37 -96.37 +jose cardel; Misantla 19.93 -96.85; Gutiérrez Zamora 20.45 -97.09; Tecolutla 20.48 -97.01; !Cerro Azul 21.19 -97.74; !Naranjos 21.35 -97.69; Chicontepec 21.00 -98.17; Huayacocotla 20.54 -98.48; Jáltipan 17.97 -94.71; Nanchital 18.07 -94.41; Tempoal 21.52 -98.39; ^Emiliano Zapata 19.46 -96.78; Teocelo 19.39 -96.97; Yanga 18.83 -96.80; Tezonapa 18.61 -96.69; Tres Valles 18.24 -96.14
Yucatán = Kanasín 20.93 -89.56; Tixkokob 21.00 -89.39; !Progreso 21.28 -89.66; Umán 20.88 -89.75; Tekax 20.20 -89.29; Motul 21.10 -89.28; Ticul 20.40 -89.53; Oxkutzcab 20.30 -89.42; Izamal 20.93 -89.02; Hunucmá 21.02 -89.88; !Peto 20.13 -88.92; Maxcanú 20.59 -90.00; Conkal 21.07 -89.52; Celestún 20.86 -90.40; !Sisal 21.17 -90.03; Acanceh 20.81 -89.45; Espita 21.01 -88.31; Homún 20.74 -89.29; Temozón 20.80 -88.20; Halachó 20.48 -90.08; Tecoh 20.74 -89.47
Zacatecas = ^Guadalupe 22.75 -102.52; !Jerez 22.65 -103.00 +jerez de garcia salinas; !Río Grande 23.83 -103.03; Sombrerete 23.64 -103.64; ^Loreto 22.27 -101.99; !Pinos 22.30 -101.57; !Calera 22.90 -102.66 +calera de victor rosales; Tlaltenango 21.78 -103.30 +tlaltenango de sanchez roman; !Valparaíso 22.77 -103.57; Ojocaliente 22.57 -102.26; Nochistlán 21.36 -102.85 +nochistlan de mejia; Juchipila 21.41 -103.12; Jalpa 21.64 -102.98
"""
