"""Tables for the profile extractor (profile.py and places.py): cities, tool signals, goal,
hour, language and role patterns, and the cue words around them. Patterns run on normalized
text. Sectors are not here: they come only from knowledge/sectors.yaml."""

from __future__ import annotations

# Everyday words one typo away from a sector word.
SECTOR_BLOCKLIST = "herrera reparo bolsillo academica tabaqueria canina cochina papeleo".split()
BUSINESS_CUES = set(
    "tengo tenemos es somos negocio dedico dedicamos empresa soy trabajo mi mis nuestro nuestra "
    "puse abri atiendo vendo vendemos hago hacemos fabrico fabricamos produzco producimos doy damos".split()
)
SKIP_CUES = {"no", "ni", "quiero", "quisiera", "gustaria", "como", "tipo", "compre", "comprar"}

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
no_computer | 1 | sin computadora | \bno (?:le )?(?:se|sabemos|manejo|manejamos|uso|usamos|tengo|tenemos|ocupo|conozco)\b(?: \w+){0,3} (?:compus?|computadoras?|computacion|laptops?|pc|lap)\b|\bsin (?:compu|computadora|laptop)\b|\b(?:nunca|jamas) (?:he |hemos )?(?:usado|tenido|agarrado|tocado|manejado|prendido)(?: \w+){0,2} (?:compus?|computadoras?|laptops?|pc|lap)\b|\b(?:compus?|computadoras?|laptops?) (?:nunca|jamas) (?:la |las |lo )?(?:he |hemos )?(?:usado|tenido|agarrado|tocado|manejado|prendido)\b
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
sell_more | \bvender (?:mas|mejor)\b|\bvend(?:o|emos|a|amos) mas\b|\bmas (?:clientes|ventas|reservas?|reservaciones|pedidos|socios|alumnos|pacientes|huespedes|inscripciones|comensales|chambas|trabajos|encargos|contratos|proyectos|obras)\b|\bventas\b|\b(?:conseguir|atraer|nuevos) (?:mas )?clientes\b|\bcrecer\b|\b(?:quiero|quisiera|gustaria|necesito|queremos|quisieramos|necesitamos) vender\b|\bllenar\b|\btemporada baja\b|\breservas? directas\b|\bocupacion\b|\b(?:me|nos) compr(?:en|an) mas\b
customer_service | \batender mejor\b|\batender (?:mejor )?(?:a )?(?:(?:los|mis) )?clientes\b|\batencion\b|\bpedidos\b|\b(?:responder|contestar)(?:les)? (?:mas rapido |rapido |a tiempo )?(?:(?:los |mis |a los |a mis )?(?:mensajes|whats\w*|preguntas|dudas|clientes)|mas rapido|rapido)\b|\bmensajes\b|\bcitas\b|\bagendar\b|\breservaciones\b|\bservicio al cliente\b|\brecordatorios?\b|\b(?:me|nos) preguntan (?:lo mismo|todo|mucho|siempre)\b|\bvarios idiomas\b|\bchatbot\b|\bbot\b
save_time | \bahorrar(?:me|nos)? (?:mas )?tiempo\b|\bautomatiz\w*|\bno me (?:da|alcanza) (?:el )?tiempo\b|\b(?:pierdo|perder|perdemos) (?:mucho )?tiempo\b|\btareas repetitivas\b|\bme quita (?:mucho )?tiempo\b|\bpapeleo\b|\bmas rapido\b|\b(?:me|nos) (?:llevan?|toman?|quitan?|cuestan?) (?:muchas |mucho |varias )?(?:horas|tiempo|dias)\b|\bse (?:me|nos) van? (?:muchas |varias )?(?:horas|dias)\b|\bse (?:me|nos) va (?:mucho |todo |harto )?(?:el )?tiempo\b|\bresumir\b|\bresumenes\b
inventory | \binventarios?\b|\b(?:re)?surtir\b|\bse me acab\w*|\bexistencias\b|\bstock\b|\bmercancia\b|\balmacen\b|\bcaducidad\b|\bcaduca\w*|\bmermas?\b|\bse (?:me|nos) (?:echa|echan) a perder\b|\b(?:me|nos) (?:quedo|quedamos|quede) sin (?!tiempo|dinero|lana|clientes|chamba|trabajo|luz|internet|ganas|empleados)\w+
marketing | \bpublicidad\b|\bredes sociales\b|\bpromociones?\b|\banuncios?\b|\bpublicaciones\b|\bpublicar\b|\bmarketing\b|\bmercadotecnia\b|\bdar(?:me|nos) a conocer\b|\bque me conozcan\b|\bgoogle maps\b|\bresenas\b|\bque (?:me|nos) encuentren\b|\bvisibilidad\b|\bsalir (?:mas )?en (?:google|internet|redes)\b|\b(?:me|nos) (?:conozca|conozcan|ubique|ubiquen)\b
finance | \b(?:las|mis|llevar|llevo|sacar) cuentas\b|\bcontabilidad\b|\bfactura(?:s|cion|r)\b|\bimpuestos\b|\bflujo de efectivo\b|\bprecios\b|\bcostos?\b|\bganancias\b|\bfinanzas\b|\bgastos\b|\bdeclaracion(?:es)?\b|\bnomina\b|\bconciliacion\w*|\bbancari[oa]s?\b|\bcolegiaturas?\b|\bcobranza\b|\bcobrar(?:les)?\b|\babonos\b|\bpaguen (?:a tiempo|puntual\w*)\b|\bfiados?\b|\bme deben\b|\bcuanto (?:me|nos) cuesta\b|\bcuanto (?:gano|ganamos)\b|\bse (?:nos|me) atrasan? (?:los |las |en los |con los )?(?:pagos|colegiaturas|cobros|abonos)\b|\bse (?:nos|me) atrasan? mucho\b|\bgano o pierdo\b|\bsi (?:gano|ganamos|pierdo|perdemos)\b(?! tiempo)|\b(?:me|nos) deja (?:o no|dinero|ganancia)\b
retention | \b(?:que )?(?:los |mis |las )?(?:clientes|clientas|pacientes|huespedes|socios|alumnos|comensales)? ?(?:regresen|vuelvan|repitan|sigan viniendo)\b|\bclientes? (?:frecuentes|recurrentes|fieles)\b|\bfideli\w*|\blealtad\b|\b(?:no )?se (?:me |nos )?(?:den|dan) de baja\b|\bdarse de baja\b|\brecordatorios?\b|\bno (?:regresan|vuelven)\b
maintenance | \bmantenimiento\b|\bpredecir fallas\b|\bfallas? (?:de|en) (?:las |los |mis |nuestras? )?(?:maquinas?|equipos?|unidades|camiones|motores|lineas?)\b|\bse (?:me |nos )?descompon\w*|\bdescomposturas?\b|\bparos? de (?:linea|maquinas?|produccion)\b|\bmaquinas? (?:paradas|descompuestas)\b|\bse (?:me |nos )?(?:paren|paran|detienen|detengan) (?:las |los |mis )?(?:maquinas?|equipos?|hornos?|lineas?|camiones|unidades|motores)\b
quality | \bcalidad\b|\bdefect\w*|\bpiezas? (?:malas|defectuosas|rechazadas)\b|\brechazos? de (?:piezas|producto|clientes)\b|\bmerma de produccion\b|\bdevoluciones\b(?! de (?:iva|impuestos|saldo))
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
    ],
    "customer_service": [
        "quiero atender mejor a mis clientes",
        "necesito responder rápido los mensajes de WhatsApp",
        "me escriben mucho y no alcanzo a contestar a todos",
        "tardo mucho en responderle a la gente",
        "quiero que mis clientes reciban respuesta a sus dudas",
        "se me juntan las preguntas de los clientes",
        "la gente pregunta lo mismo una y otra vez y no me da la vida",
    ],
    "save_time": [
        "quiero ahorrar tiempo en el trabajo",
        "no me da tiempo de hacer todo",
        "hago todo a mano y pierdo horas",
        "quiero automatizar las tareas repetitivas",
        "se me va el día en papeleo",
        "necesito que el trabajo se haga más rápido",
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
    ],
    "marketing": [
        "quiero darme a conocer",
        "necesito publicidad en redes sociales",
        "quiero que la gente sepa que mi negocio existe",
        "busco que me encuentren en Google",
        "quiero hacer anuncios y promociones",
        "necesito que más gente vea mi negocio en internet",
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
    ],
    "retention": [
        "quiero que mis clientes regresen",
        "necesito que los clientes vuelvan a comprar",
        "vienen una vez y ya no regresan",
        "quiero tener clientes fieles",
        "busco que me sigan comprando los mismos clientes",
        "se me van los clientes con la competencia",
    ],
    "maintenance": [
        "quiero darle mantenimiento a mis máquinas",
        "se me descomponen los equipos",
        "necesito que no fallen las máquinas",
        "quiero saber cuándo revisar los camiones antes de que fallen",
        "se me paró la máquina y perdí días de trabajo",
        "los equipos se averían seguido",
        "quiero saber cuándo toca el servicio de los equipos",
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
    ],
}

PATTERNS = r"""
goal_rejected | \b(?:no (?:quiero|necesito|me interesa|busco|ocupo)|ni|sin)\b
no_time | \b(?:no tengo|no tenemos|casi no tengo|tengo (?:muy )?poco|no me queda)\s+(?:nada de |mucho )?tiempo\b(?!\s+(?:de|para|pa)\b)
per_day | \b(?:al|por|x|cada) dia\b|\bdiari[oa]s?\b|\btodos los dias\b|\ba diario\b
weekdays | \b(?:de lunes a viernes|entre semana)\b
weekend | \b(?:fines? de semana|sabados? y domingos?|los sabados|los domingos)\b
per_week | \b(?:(?:a la|por|cada|x|en la) semana|semanal(?:es|mente)?)\b
per_month | \b(?:(?:al|por|cada) mes|mensual(?:es|mente)?)\b
sentence_end | [.;!?]
correction | ^\W*(?:(?:ah|a|ay|oh|uy|ups|perdon|perdona|disculpa)\W+)*(?:(?:no|nel|nop)(?=\W*$|\W*[,.;!]|\s+(?:es|son|somos|soy|era|eran|eramos|estoy|estamos|esta|vivo|vivimos|en|de|mas bien|sino|perdon|mejor|tengo \d|tenemos \d|\d)\b)|perdon|perdona|error|ups|oops)\b|\b(?:me equivoque|nos equivocamos|en realidad|mas bien|quise decir|quice decir|corrijo|correccion|corrige|me confundi|no es asi|en (?:vez|lugar) de|envez de|no (?:son|somos|es|estamos|estoy|soy) (?:\d+|\w+),? (?:son|somos|es|estamos|estoy|soy|sino)\b)\b
profile_request | \b(?:mi perfil|mis datos|que sabes (?:de|sobre) (?:mi|mi negocio|nosotros)|que (?:datos |informacion )?tienes (?:de|sobre) mi|que has entendido|resumen de mi (?:negocio|perfil)|que recuerdas de mi|que guardaste)\b
"""
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

# First match wins, so the more specific roles come first. "it_helper" is someone who looks after
# the business's computer or website ("yo le veo lo de la compu"): it, unless they own the business.
ROLES = r"""
developer | \b(?:soy|trabajo (?:como|de)|chambeo (?:como|de)|me dedico a) (?:un |una |el |la )?(?:programador(?:a)?|desarrollador(?:a)?|developer|dev|ingenier[oa] de software)(?:es)?\b|\byo programo\b|\bme dedico a (?:programar|desarrollar)\b
it | \b(?:soy|trabajo) (?:el |la )?(?:de |en )?(?:sistemas|soporte tecnico|informatica|el area de (?:sistemas|ti|it))\b|\bencargad[oa] de (?:ti|it|sistemas|tecnologia|soporte|informatica|computo)\b|\bsoy (?:el |la )?(?:de )?(?:ti|it)\b|\b(?:administrador de sistemas|sysadmin)\b
owner | \bsoy (?:el |la )?(?:dueñ[oa]|duen[oa]|propietari[oa]|patr[oó]n|patrona|fundador(?:a)?|emprendedor(?:a)?)\b|\b(?:tengo|tenemos|abri|puse) (?:un|una|mi|nuestro|nuestra) (?:propi[oa] )?(?:negocio|empresa|changarro|emprendimiento|local|puesto)\b|\bmi (?:propio )?(?:negocio|empresa|changarro|emprendimiento)\b
it_helper | \b(?:le |les )?(?:veo|llevo|manejo|muevo|checo) (?:todo )?lo de (?:la |las |los |el )?(?:compus?|computadoras?|computacion|sistemas?|pagina(?: web)?|internet|tecnologia)\b|\bme (?:encargo|hago cargo|ocupo) (?:de |del )?(?:todo )?(?:lo de )?(?:la |las |los |el )?(?:compus?|computadoras?|computacion|sistemas?|pagina(?: web)?|sitio web|soporte|tecnologia|computo|internet)\b|\bsoy (?:el|la) que (?:le )?(?:sabe|entiende|mueve|maneja) (?:de |a )?(?:lo de )?(?:la |las |los |el )?(?:compus?|computadoras?|computacion|tecnologia|sistemas?|internet)\b
employee | \bsoy (?:un |una )?emplead[oa]\b|\btrabajo (?:en|para) (?:un|una|el|la|los|las)\b(?! (?:mañanas|tardes|noches|fines|campo|rancho|casa))|\bmi (?:jefe|jefa|patr[oó]n|patrona)\b|\bsoy (?:el |la )?(?:encargad[oa]|gerente|cajer[oa]|vendedor(?:a)?|mesero|mesera|asistente|auxiliar|recepcionista)\b
"""

# State = City lat lon [+alias ...]; ... Coordinates are approximate city centres. A name marked
# "^" is the namesake of a bigger town elsewhere: it is read only next to its own state
# ("Matamoros, Coahuila"); alone, the name is the bigger town.
CITY_ROWS = """
Aguascalientes = Aguascalientes 21.88 -102.29
Baja California = Tijuana 32.53 -117.04 +tj; Mexicali 32.62 -115.45; Ensenada 31.87 -116.60; Tecate 32.57 -116.63; Rosarito 32.36 -117.05 +playas de rosarito; San Quintín 30.56 -115.94
Baja California Sur = La Paz 24.14 -110.31; Los Cabos 22.89 -109.92 +cabo san lucas +san jose del cabo; Loreto 26.01 -111.35; Guerrero Negro 27.96 -114.06; Ciudad Constitución 25.03 -111.66
Campeche = Campeche 19.85 -90.53; Ciudad del Carmen 18.65 -91.83; Escárcega 18.61 -90.74; Xpujil 18.51 -89.39 +calakmul
Chiapas = Tuxtla Gutiérrez 16.75 -93.12 +tuxtla; San Cristóbal de las Casas 16.74 -92.64 +san cristobal +sancris +san cris; Tapachula 14.90 -92.26; Comitán 16.25 -92.13; Palenque 17.51 -91.98
Chihuahua = Chihuahua 28.63 -106.07; Ciudad Juárez 31.69 -106.42 +juarez chihuahua +juarez; Hidalgo del Parral 26.93 -105.67 +parral; Ciudad Cuauhtémoc 28.41 -106.87; Nuevo Casas Grandes 30.42 -107.91 +casas grandes; Ojinaga 29.56 -104.41; Creel 27.75 -107.64
Ciudad de México = Iztapalapa 19.36 -99.06; Coyoacán 19.35 -99.16; Tlalpan 19.29 -99.17; Xochimilco 19.26 -99.10; Azcapotzalco 19.49 -99.18; Miguel Hidalgo 19.43 -99.20; Gustavo A. Madero 19.48 -99.11 +gustavo a madero +gam; Álvaro Obregón 19.36 -99.22; Tláhuac 19.28 -99.00
Coahuila = Saltillo 25.42 -101.00; Torreón 25.54 -103.41; ^Matamoros 25.53 -103.23; Monclova 26.91 -101.42; Piedras Negras 28.70 -100.52; Ciudad Acuña 29.32 -100.93 +acuña
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
Nuevo León = Monterrey 25.69 -100.32 +mty; San Pedro Garza García 25.66 -100.40; San Nicolás de los Garza 25.75 -100.29 +san nicolas; Guadalupe 25.68 -100.26; ^Juárez 25.65 -100.10; Apodaca 25.78 -100.19; Santa Catarina 25.67 -100.46; General Escobedo 25.80 -100.33 +escobedo; Linares 24.86 -99.57
Oaxaca = Oaxaca de Juárez 17.06 -96.73 +ciudad de oaxaca; Santiago Matatlán 16.86 -96.38 +matatlan; Miahuatlán de Porfirio Díaz 16.33 -96.60 +miahuatlan; Juchitán 16.43 -95.02 +juchitan de zaragoza; Salina Cruz 16.17 -95.20; Tuxtepec 18.09 -96.12; Huatulco 15.77 -96.13 +bahias de huatulco; Puerto Escondido 15.86 -97.07; Tehuantepec 16.32 -95.24; Pinotepa Nacional 16.34 -98.05 +pinotepa; Huajuapan de León 17.80 -97.78 +huajuapan
Puebla = Puebla 19.04 -98.21; Tehuacán 18.46 -97.39; Cholula 19.06 -98.30; Atlixco 18.91 -98.44; Teziutlán 19.82 -97.36; San Martín Texmelucan 19.28 -98.43 +texmelucan
Querétaro = Querétaro 20.59 -100.39; San Juan del Río 20.39 -99.99
Quintana Roo = Cancún 21.16 -86.85; Playa del Carmen 20.63 -87.08; Chetumal 18.50 -88.30; Tulum 20.21 -87.47; Cozumel 20.51 -86.95; Bacalar 18.68 -88.39
San Luis Potosí = San Luis Potosí 22.16 -100.99; Ciudad Valles 21.99 -99.01; Matehuala 23.65 -100.64
Sinaloa = Culiacán 24.81 -107.39 +culichi; Mazatlán 23.25 -106.41; Los Mochis 25.79 -108.99 +mochis; Topolobampo 25.60 -109.05; Guasave 25.57 -108.47
Sonora = Hermosillo 29.07 -110.96 +hmo; Ciudad Obregón 27.49 -109.94 +obregon; Nogales 31.31 -110.94; Guaymas 27.92 -110.90; San Luis Río Colorado 32.46 -114.77; Navojoa 27.08 -109.44; Puerto Peñasco 31.32 -113.54; Caborca 30.72 -112.16
Tabasco = Villahermosa 17.99 -92.93; Comalcalco 18.26 -93.22; Tenosique 17.47 -91.42
Tamaulipas = Reynosa 26.09 -98.28; Matamoros 25.87 -97.50; Nuevo Laredo 27.48 -99.52; Tampico 22.25 -97.86; Ciudad Madero 22.27 -97.83; Altamira 22.39 -97.94; Ciudad Victoria 23.74 -99.15; Ciudad Mante 22.74 -98.97 +el mante; San Fernando 24.85 -98.15
Tlaxcala = Tlaxcala 19.32 -98.24; Apizaco 19.42 -98.14; Huamantla 19.31 -97.92
Veracruz = Veracruz 19.17 -96.13 +puerto de veracruz; Xalapa 19.54 -96.91 +jalapa; Coatzacoalcos 18.14 -94.46 +coatza; Córdoba 18.88 -96.93; Orizaba 18.85 -97.10; Poza Rica 20.53 -97.46; Boca del Río 19.10 -96.10; Minatitlán 17.99 -94.55; Tuxpan 20.96 -97.40; Papantla 20.45 -97.32; San Andrés Tuxtla 18.45 -95.21
Yucatán = Mérida 20.97 -89.62; Valladolid 20.69 -88.20; Tizimín 21.14 -88.15
Zacatecas = Zacatecas 22.77 -102.58; Fresnillo 23.17 -102.87
"""
