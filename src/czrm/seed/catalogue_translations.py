# ruff: noqa: E501 - whole sentences read better unbroken
"""Welsh and Arabic for the demo council's service catalogue.

``WORDS`` holds every English wording of ``catalogue_data.SERVICES`` (names,
descriptions, groups, questions, hints and choices) with its Welsh and Arabic;
``KEYWORDS`` holds each service's search words in Welsh and Arabic (not word
for word: what people would type). The seed stores them as the services' and
questions' translations (``catalogue.localise``).
"""

from __future__ import annotations

from typing import Any

# English → (Welsh, Arabic)
WORDS: dict[str, tuple[str, str]] = {
    # Groups
    "Roads and pavements": ("Ffyrdd a phalmentydd", "الطرق والأرصفة"),
    "Street lighting": ("Goleuadau stryd", "إنارة الشوارع"),
    "Bins and recycling": ("Biniau ac ailgylchu", "صناديق القمامة وإعادة التدوير"),
    "Street cleaning": ("Glanhau strydoedd", "تنظيف الشوارع"),
    "Noise and nuisance": ("Sŵn a niwsans", "الضوضاء والإزعاج"),
    "Food, pests and pollution": ("Bwyd, plâu a llygredd", "الغذاء والآفات والتلوث"),
    "Council housing": ("Tai cyngor", "مساكن المجلس"),
    "Community safety": ("Diogelwch cymunedol", "سلامة المجتمع"),
    "Housing advice": ("Cyngor ar dai", "استشارات السكن"),
    "Council tax and benefits": ("Treth gyngor a budd-daliadau", "ضريبة المجلس والإعانات"),
    "Parking": ("Parcio", "مواقف السيارات"),
    "Parks, trees and green spaces": (
        "Parciau, coed a mannau gwyrdd",
        "الحدائق والأشجار والمساحات الخضراء",
    ),
    "Libraries and culture": ("Llyfrgelloedd a diwylliant", "المكتبات والثقافة"),
    "Contact us": ("Cysylltu â ni", "اتصل بنا"),
    # Answers several questions share
    "Yes": ("Ie", "نعم"),
    "No": ("Na", "لا"),
    "Don't know": ("Ddim yn gwybod", "لا أعرف"),
    "Other": ("Arall", "غير ذلك"),
    "Date and time": ("Dyddiad ac amser", "التاريخ والوقت"),
    # Roads and pavements
    "Pothole": ("Twll yn y ffordd", "حفرة في الطريق"),
    "A hole or sunken area in the road surface or at the kerb edge.": (
        "Twll neu ardal wedi suddo yn wyneb y ffordd neu wrth ymyl y palmant.",
        "حفرة أو منطقة هابطة في سطح الطريق أو عند حافة الرصيف.",
    ),
    "How big is the pothole?": ("Pa mor fawr yw’r twll yn y ffordd?", "ما حجم الحفرة؟"),
    "Smaller than a dinner plate": ("Yn llai na phlât cinio", "أصغر من طبق العشاء"),
    "Between a dinner plate and a dustbin lid": (
        "Rhwng plât cinio a chaead bin sbwriel",
        "بين حجم طبق العشاء وغطاء صندوق القمامة",
    ),
    "Larger than a dustbin lid": ("Yn fwy na chaead bin sbwriel", "أكبر من غطاء صندوق القمامة"),
    "Roughly how deep is it?": ("Tua pha mor ddwfn ydyw?", "ما عمقها تقريبًا؟"),
    "Depth in centimetres": ("Dyfnder mewn centimetrau", "العمق بالسنتيمتر"),
    "Where is it on the road?": ("Ble mae ar y ffordd?", "أين تقع على الطريق؟"),
    "In the road": ("Yn y ffordd", "في الطريق"),
    "In a cycle lane": ("Mewn lôn feiciau", "في مسار الدراجات"),
    "At the kerb edge": ("Wrth ymyl y palmant", "عند حافة الرصيف"),
    "At a junction": ("Ar gyffordd", "عند تقاطع"),
    "Damaged or uneven pavement": (
        "Palmant wedi’i ddifrodi neu’n anwastad",
        "رصيف تالف أو غير مستوٍ",
    ),
    "Broken, rocking or lifted paving slabs and kerbs that could trip someone.": (
        "Slabiau palmant neu gyrbiau wedi torri, yn siglo neu wedi codi a allai faglu rhywun.",
        "بلاطات رصيف أو حواف مكسورة أو متحركة أو مرتفعة قد تتسبب في تعثّر أحد المارة.",
    ),
    "What is wrong with the pavement?": ("Beth sydd o’i le ar y palmant?", "ما المشكلة في الرصيف؟"),
    "Trip hazard": ("Perygl baglu", "خطر التعثّر"),
    "Cracked slabs": ("Slabiau wedi cracio", "بلاطات متشققة"),
    "Missing slab or kerb": ("Slab neu gwrb ar goll", "بلاطة أو حافة رصيف مفقودة"),
    "Lifted by tree roots": ("Wedi codi oherwydd gwreiddiau coed", "مرتفع بسبب جذور الأشجار"),
    "Blocked drain or gully": ("Draen neu gwter wedi blocio", "بالوعة أو مصرف مسدود"),
    "A road gully or drain that is blocked or causing standing water.": (
        "Cwter neu ddraen ffordd sydd wedi blocio neu’n achosi dŵr llonydd.",
        "مصرف أو بالوعة على الطريق مسدودة أو تتسبب في تجمّع المياه.",
    ),
    "Is there any flooding?": ("Oes unrhyw lifogydd?", "هل توجد فيضانات؟"),
    "No flooding": ("Dim llifogydd", "لا توجد فيضانات"),
    "Water across the road": ("Dŵr ar draws y ffordd", "مياه تغطي الطريق"),
    "Water reaching a property": ("Dŵr yn cyrraedd eiddo", "مياه تصل إلى أحد العقارات"),
    "Is there a bad smell?": ("Oes arogl drwg?", "هل توجد رائحة كريهة؟"),
    "Damaged road sign or bollard": (
        "Arwydd ffordd neu folard wedi’i ddifrodi",
        "لافتة طريق أو عمود حاجز تالف",
    ),
    "Road signs, bollards or railings that are damaged, missing or turned.": (
        "Arwyddion ffordd, bolardiau neu reiliau sydd wedi’u difrodi, ar goll neu wedi troi.",
        "لافتات طرق أو أعمدة حواجز أو درابزين تالفة أو مفقودة أو منحرفة عن اتجاهها.",
    ),
    "Traffic signal fault": ("Nam ar oleuadau traffig", "عطل في إشارة المرور"),
    "Traffic lights or a pedestrian crossing that is not working properly.": (
        "Goleuadau traffig neu groesfan i gerddwyr nad ydynt yn gweithio’n iawn.",
        "إشارات مرور أو معبر مشاة لا يعمل بشكل صحيح.",
    ),
    "Which junction or crossing?": ("Pa gyffordd neu groesfan?", "أي تقاطع أو معبر؟"),
    "Road names, e.g. Mill Lane / Station Road": (
        "Enwau’r ffyrdd, e.e. Mill Lane / Station Road",
        "أسماء الطرق، مثل Mill Lane / Station Road",
    ),
    "What is the fault?": ("Beth yw’r nam?", "ما العطل؟"),
    "All lights out": ("Pob golau wedi diffodd", "جميع الأضواء مطفأة"),
    "Stuck on one colour": ("Yn sownd ar un lliw", "عالقة على لون واحد"),
    "Pedestrian signal or button not working": (
        "Signal neu fotwm cerddwyr ddim yn gweithio",
        "إشارة المشاة أو زرّها لا يعمل",
    ),
    "Signal head damaged or turned": (
        "Pen y signal wedi’i ddifrodi neu wedi troi",
        "رأس الإشارة تالف أو منحرف",
    ),
    "Oil, diesel or debris on the road": (
        "Olew, disel neu falurion ar y ffordd",
        "زيت أو ديزل أو حطام على الطريق",
    ),
    "A spillage or debris on the road that is a danger to traffic.": (
        "Rhywbeth wedi’i ollwng neu falurion ar y ffordd sy’n berygl i draffig.",
        "انسكاب أو حطام على الطريق يشكّل خطرًا على حركة المرور.",
    ),
    "Icy road or gritting request": (
        "Ffordd rewllyd neu gais am raeanu",
        "طريق متجمّد أو طلب نثر الملح",
    ),
    "Ice or snow on a road or footway, or an empty grit bin.": (
        "Iâ neu eira ar ffordd neu droetffordd, neu fin graean gwag.",
        "جليد أو ثلج على طريق أو ممر مشاة، أو صندوق ملح فارغ.",
    ),
    # Street lighting
    "Street light not working": ("Golau stryd ddim yn gweithio", "عمود إنارة لا يعمل"),
    "A street light that is out, flickering, on during the day or damaged.": (
        "Golau stryd sydd wedi diffodd, yn fflachio, ymlaen yn ystod y dydd neu wedi’i ddifrodi.",
        "عمود إنارة مطفأ أو يومض أو مضاء أثناء النهار أو تالف.",
    ),
    "The number on the lamp post, if you can see it": (
        "Y rhif ar bolyn y lamp, os gallwch ei weld",
        "الرقم المكتوب على عمود الإنارة، إن كان ظاهرًا",
    ),
    "For example NM1234": ("Er enghraifft NM1234", "مثلًا NM1234"),
    "What is wrong with the light?": ("Beth sydd o’i le ar y golau?", "ما المشكلة في الإنارة؟"),
    "Not lit at night": ("Ddim ymlaen yn y nos", "غير مضاء ليلًا"),
    "On during the day": ("Ymlaen yn ystod y dydd", "مضاء أثناء النهار"),
    "Flickering": ("Yn fflachio", "يومض"),
    "Column damaged or leaning": ("Polyn wedi’i ddifrodi neu’n gwyro", "العمود تالف أو مائل"),
    # Bins and recycling
    "Missed bin collection": ("Bin heb ei gasglu", "عدم جمع صندوق القمامة"),
    "Your bin was out on time but was not emptied.": (
        "Roedd eich bin allan mewn pryd ond ni chafodd ei wagio.",
        "أخرجت صندوقك في الموعد لكنه لم يُفرَّغ.",
    ),
    "Which bin?": ("Pa fin?", "أي صندوق؟"),
    "Black bin (general waste)": (
        "Bin du (gwastraff cyffredinol)",
        "الصندوق الأسود (النفايات العامة)",
    ),
    "Blue bin (recycling)": ("Bin glas (ailgylchu)", "الصندوق الأزرق (إعادة التدوير)"),
    "Green bin (garden waste)": ("Bin gwyrdd (gwastraff gardd)", "الصندوق الأخضر (نفايات الحدائق)"),
    "Food waste caddy": ("Cadi gwastraff bwyd", "حاوية بقايا الطعام"),
    "When should it have been collected?": (
        "Pryd y dylai fod wedi cael ei gasglu?",
        "متى كان يجب جمعه؟",
    ),
    "Date of the missed collection": ("Dyddiad y casgliad a fethwyd", "تاريخ الجمع الفائت"),
    "Was the bin out by 7am?": (
        "Oedd y bin allan erbyn 7am?",
        "هل كان الصندوق في الخارج قبل الساعة 7 صباحًا؟",
    ),
    "Bulky waste collection": ("Casglu gwastraff swmpus", "جمع النفايات الضخمة"),
    "Book a collection of large household items.": (
        "Trefnu i gasglu eitemau mawr o’r cartref.",
        "احجز موعدًا لجمع الأغراض المنزلية الكبيرة.",
    ),
    "What needs collecting?": ("Beth sydd angen ei gasglu?", "ما الذي يجب جمعه؟"),
    "Sofa or armchair": ("Soffa neu gadair freichiau", "أريكة أو كرسي بذراعين"),
    "Mattress or bed": ("Matres neu wely", "مرتبة أو سرير"),
    "Fridge or freezer": ("Oergell neu rewgell", "ثلاجة أو مجمّد"),
    "Washing machine or cooker": ("Peiriant golchi neu ffwrn", "غسالة أو موقد طهي"),
    "Other furniture": ("Dodrefn eraill", "أثاث آخر"),
    "Small electricals": ("Eitemau trydanol bach", "أجهزة كهربائية صغيرة"),
    "Garden furniture": ("Dodrefn gardd", "أثاث الحديقة"),
    "How many items in total?": ("Faint o eitemau i gyd?", "كم عدد الأغراض إجمالًا؟"),
    "Up to 6 items per booking": ("Hyd at 6 eitem ym mhob archeb", "حتى 6 أغراض في كل حجز"),
    "New or replacement bin": ("Bin newydd neu fin yn lle hen un", "صندوق جديد أو بديل"),
    "Ask for a new, replacement or additional bin.": (
        "Gofyn am fin newydd, bin yn lle hen un neu fin ychwanegol.",
        "اطلب صندوقًا جديدًا أو بديلًا أو إضافيًا.",
    ),
    "Why do you need it?": ("Pam mae ei angen arnoch chi?", "لماذا تحتاج إليه؟"),
    "Lost or stolen": ("Wedi’i golli neu ei ddwyn", "مفقود أو مسروق"),
    "Damaged": ("Wedi’i ddifrodi", "تالف"),
    "New property": ("Eiddo newydd", "عقار جديد"),
    "Extra capacity": ("Lle ychwanegol", "سعة إضافية"),
    # Street cleaning
    "Fly-tipping": ("Tipio anghyfreithlon", "إلقاء النفايات بشكل غير قانوني"),
    "Rubbish dumped illegally on a street, verge or open land.": (
        "Sbwriel wedi’i daflu’n anghyfreithlon ar stryd, ymyl ffordd neu dir agored.",
        "نفايات أُلقيت بشكل غير قانوني في شارع أو على جانب طريق أو في أرض مفتوحة.",
    ),
    "What has been dumped?": ("Beth sydd wedi’i daflu?", "ما الذي أُلقي؟"),
    "Household rubbish": ("Sbwriel y cartref", "نفايات منزلية"),
    "Builders' rubble": ("Rwbel adeiladu", "ركام البناء"),
    "Garden waste": ("Gwastraff gardd", "نفايات الحدائق"),
    "Furniture": ("Dodrefn", "أثاث"),
    "Fridges or white goods": ("Oergelloedd neu nwyddau gwyn", "ثلاجات أو أجهزة منزلية كبيرة"),
    "Tyres": ("Teiars", "إطارات"),
    "Possible asbestos": ("Asbestos posibl", "احتمال وجود أسبستوس"),
    "Drums or chemicals": ("Drymiau neu gemegau", "براميل أو مواد كيميائية"),
    "How much is there?": ("Faint sydd yno?", "ما الكمية الموجودة؟"),
    "A single item": ("Un eitem", "غرض واحد"),
    "A car boot load": ("Llond cist car", "حمولة صندوق سيارة"),
    "A small van load": ("Llond fan fach", "حمولة شاحنة صغيرة"),
    "A lorry load or more": ("Llond lori neu fwy", "حمولة شاحنة كبيرة أو أكثر"),
    "Did you see who dumped it?": ("Welsoch chi pwy a’i taflodd?", "هل رأيت من ألقاها؟"),
    "Litter or street sweeping": ("Sbwriel neu ysgubo strydoedd", "القمامة أو كنس الشوارع"),
    "A street, alley or verge that needs sweeping or litter picking.": (
        "Stryd, lôn gefn neu ymyl ffordd sydd angen ei hysgubo neu gasglu sbwriel arni.",
        "شارع أو زقاق أو جانب طريق يحتاج إلى كنس أو التقاط القمامة.",
    ),
    "Overflowing litter bin": ("Bin sbwriel yn gorlifo", "سلة مهملات فائضة"),
    "A public litter or dog waste bin that is full or overflowing.": (
        "Bin sbwriel neu fin baw cŵn cyhoeddus sy’n llawn neu’n gorlifo.",
        "سلة مهملات عامة أو سلة لفضلات الكلاب ممتلئة أو فائضة.",
    ),
    "Graffiti": ("Graffiti", "الكتابة على الجدران"),
    "Graffiti or tagging on walls, street furniture or bus shelters.": (
        "Graffiti neu dagio ar waliau, celfi stryd neu gysgodfannau bysiau.",
        "كتابات أو رسومات على الجدران أو أثاث الشوارع أو مظلات الحافلات.",
    ),
    "Is it offensive, racist or obscene?": (
        "Ydy’n sarhaus, yn hiliol neu’n anweddus?",
        "هل هي مسيئة أو عنصرية أو بذيئة؟",
    ),
    "What is it on?": ("Ar beth mae e?", "على أي شيء هي؟"),
    "Council building or wall": ("Adeilad neu wal y cyngor", "مبنى أو جدار تابع للمجلس"),
    "Private wall or fence": ("Wal neu ffens breifat", "جدار أو سياج خاص"),
    "Bus shelter": ("Cysgodfan bysiau", "مظلة حافلات"),
    "Utility or telecoms box": ("Blwch cyfleustodau neu delathrebu", "صندوق مرافق أو اتصالات"),
    "Dog fouling": ("Baw cŵn", "فضلات الكلاب"),
    "Dog mess on a pavement, path or park.": (
        "Baw cŵn ar balmant, llwybr neu mewn parc.",
        "فضلات كلاب على رصيف أو ممر أو في حديقة.",
    ),
    "Dead animal removal": ("Symud anifail marw", "إزالة حيوان نافق"),
    "A dead animal on a road, pavement or public land.": (
        "Anifail marw ar ffordd, palmant neu dir cyhoeddus.",
        "حيوان نافق على طريق أو رصيف أو أرض عامة.",
    ),
    "What kind of animal?": ("Pa fath o anifail?", "ما نوع الحيوان؟"),
    "Fox": ("Llwynog", "ثعلب"),
    "Badger": ("Mochyn daear", "غرير"),
    "Deer": ("Carw", "غزال"),
    "Cat": ("Cath", "قطة"),
    "Dog": ("Ci", "كلب"),
    "Bird": ("Aderyn", "طائر"),
    "Discarded needles or syringes": (
        "Nodwyddau neu chwistrelli wedi’u taflu",
        "إبر أو حقن مرمية",
    ),
    "Needles or drug paraphernalia left in a public place. Do not touch them.": (
        "Nodwyddau neu offer cyffuriau wedi’u gadael mewn man cyhoeddus. Peidiwch â’u cyffwrdd.",
        "إبر أو أدوات تعاطي مخدرات متروكة في مكان عام. لا تلمسها.",
    ),
    # Noise and nuisance
    "Noise nuisance": ("Niwsans sŵn", "إزعاج الضوضاء"),
    "Persistent noise from a home, business or building site.": (
        "Sŵn parhaus o gartref, busnes neu safle adeiladu.",
        "ضوضاء مستمرة من منزل أو نشاط تجاري أو موقع بناء.",
    ),
    "What is making the noise?": ("Beth sy’n gwneud y sŵn?", "ما مصدر الضوضاء؟"),
    "Loud music or TV": ("Cerddoriaeth neu deledu uchel", "موسيقى أو تلفاز بصوت عالٍ"),
    "Party or shouting": ("Parti neu weiddi", "حفلة أو صراخ"),
    "Barking dog": ("Ci’n cyfarth", "نباح كلب"),
    "Intruder or car alarm": ("Larwm lladron neu larwm car", "إنذار ضد السرقة أو إنذار سيارة"),
    "Building work": ("Gwaith adeiladu", "أعمال بناء"),
    "Pub, club or business": ("Tafarn, clwb neu fusnes", "حانة أو نادٍ أو نشاط تجاري"),
    "When did it start?": ("Pryd ddechreuodd e?", "متى بدأت؟"),
    "Is it happening now?": ("Ydy e’n digwydd nawr?", "هل تحدث الآن؟"),
    "How often does it happen and for how long?": (
        "Pa mor aml mae’n digwydd ac am ba hyd?",
        "كم مرة تحدث وكم تستمر؟",
    ),
    "Bonfire or smoke nuisance": ("Niwsans coelcerth neu fwg", "إزعاج النيران أو الدخان"),
    "Smoke from garden bonfires or burning waste.": (
        "Mwg o goelcerthi gardd neu o losgi gwastraff.",
        "دخان من إشعال النار في الحدائق أو حرق النفايات.",
    ),
    # Food, pests and pollution
    "Pest control": ("Rheoli plâu", "مكافحة الآفات"),
    "Book a pest control visit for rats, mice, wasps and other pests.": (
        "Trefnu ymweliad rheoli plâu ar gyfer llygod mawr, llygod, gwenyn meirch a phlâu eraill.",
        "احجز زيارة لمكافحة الجرذان والفئران والدبابير وغيرها من الآفات.",
    ),
    "Which pest?": ("Pa bla?", "ما نوع الآفة؟"),
    "Rats": ("Llygod mawr", "جرذان"),
    "Mice": ("Llygod", "فئران"),
    "Wasps": ("Gwenyn meirch", "دبابير"),
    "Cockroaches": ("Chwilod duon", "صراصير"),
    "Bedbugs": ("Llau gwely", "بق الفراش"),
    "Pigeons": ("Colomennod", "حمام"),
    "Where are they?": ("Ble maen nhw?", "أين توجد؟"),
    "Inside the home": ("Yn y cartref", "داخل المنزل"),
    "In the garden": ("Yn yr ardd", "في الحديقة"),
    "On the street or public land": ("Ar y stryd neu ar dir cyhoeddus", "في الشارع أو في أرض عامة"),
    "Food hygiene complaint": ("Cwyn am hylendid bwyd", "شكوى بشأن نظافة الغذاء"),
    "A concern about hygiene at a restaurant, takeaway, shop or market stall.": (
        "Pryder am hylendid mewn bwyty, siop têc-awê, siop neu stondin marchnad.",
        "قلق بشأن النظافة في مطعم أو محل وجبات سريعة أو متجر أو كشك في السوق.",
    ),
    "Name of the business": ("Enw’r busnes", "اسم النشاط التجاري"),
    "What did you see or experience?": (
        "Beth welsoch chi neu beth ddigwyddodd i chi?",
        "ماذا رأيت أو ما الذي تعرّضت له؟",
    ),
    # Council housing
    "Council home repair": ("Atgyweirio cartref cyngor", "إصلاح في مسكن تابع للمجلس"),
    "Report a repair in your council home.": (
        "Rhoi gwybod am waith atgyweirio yn eich cartref cyngor.",
        "أبلغ عن إصلاح مطلوب في مسكنك التابع للمجلس.",
    ),
    "Where is the repair?": ("Ble mae’r gwaith atgyweirio?", "أين مكان الإصلاح؟"),
    "Kitchen": ("Cegin", "المطبخ"),
    "Bathroom": ("Ystafell ymolchi", "الحمّام"),
    "Bedroom": ("Ystafell wely", "غرفة النوم"),
    "Living room": ("Ystafell fyw", "غرفة المعيشة"),
    "Hall or stairs": ("Cyntedd neu grisiau", "المدخل أو الدرج"),
    "Outside or communal area": ("Y tu allan neu ardal gymunedol", "الخارج أو منطقة مشتركة"),
    "What kind of repair?": ("Pa fath o waith atgyweirio?", "ما نوع الإصلاح؟"),
    "Plumbing or taps": ("Plymwaith neu dapiau", "السباكة أو الصنابير"),
    "Electrics or lighting": ("Trydan neu oleuadau", "الكهرباء أو الإنارة"),
    "Heating or hot water": ("Gwres neu ddŵr poeth", "التدفئة أو الماء الساخن"),
    "Doors or windows": ("Drysau neu ffenestri", "الأبواب أو النوافذ"),
    "Roof or guttering": ("To neu gwteri", "السقف أو المزاريب"),
    "Something else": ("Rhywbeth arall", "شيء آخر"),
    "When can we get in, and anything we should know?": (
        "Pryd gallwn ni ddod i mewn, ac unrhyw beth y dylen ni ei wybod?",
        "متى يمكننا الدخول، وهل هناك ما يجب أن نعرفه؟",
    ),
    "Emergency repair": ("Atgyweirio brys", "إصلاح طارئ"),
    "No heating or hot water, a major leak, unsafe electrics or an insecure home.": (
        "Dim gwres na dŵr poeth, gollyngiad mawr, trydan anniogel neu gartref nad yw’n ddiogel.",
        "انقطاع التدفئة أو الماء الساخن، أو تسرّب كبير، أو كهرباء غير آمنة، أو منزل غير مؤمَّن.",
    ),
    "What is the emergency?": ("Beth yw’r argyfwng?", "ما حالة الطوارئ؟"),
    "No heating or hot water": ("Dim gwres na dŵr poeth", "لا تدفئة ولا ماء ساخن"),
    "Major water leak": ("Gollyngiad dŵr mawr", "تسرّب مياه كبير"),
    "Unsafe electrics": ("Trydan anniogel", "كهرباء غير آمنة"),
    "Door or window will not lock": ("Drws neu ffenestr ddim yn cloi", "باب أو نافذة لا يُقفل"),
    "Only toilet blocked": ("Yr unig doiled wedi blocio", "المرحاض الوحيد مسدود"),
    "Damp and mould": ("Lleithder a llwydni", "الرطوبة والعفن"),
    "Damp, condensation or mould in your council home.": (
        "Lleithder, anwedd neu lwydni yn eich cartref cyngor.",
        "رطوبة أو تكاثف أو عفن في مسكنك التابع للمجلس.",
    ),
    "Which rooms are affected?": ("Pa ystafelloedd sydd wedi’u heffeithio?", "ما الغرف المتأثرة؟"),
    "Does anyone at home have a health condition, or is under 5 or over 65?": (
        "Oes gan unrhyw un yn y cartref gyflwr iechyd, neu a oes rhywun o dan 5 oed neu dros 65 oed?",
        "هل يعاني أحد في المنزل من حالة صحية، أو عمره أقل من 5 سنوات أو أكثر من 65 سنة؟",
    ),
    "How long has it been a problem?": ("Ers faint mae wedi bod yn broblem?", "منذ متى وهي مشكلة؟"),
    "A few weeks": ("Ychydig wythnosau", "بضعة أسابيع"),
    "Several months": ("Sawl mis", "عدة أشهر"),
    "More than a year": ("Mwy na blwyddyn", "أكثر من سنة"),
    # Community safety and housing advice
    "Antisocial behaviour": ("Ymddygiad gwrthgymdeithasol", "السلوك المعادي للمجتمع"),
    "Behaviour that causes harassment, alarm or distress in your neighbourhood.": (
        "Ymddygiad sy’n achosi aflonyddu, braw neu ofid yn eich cymdogaeth.",
        "سلوك يسبب المضايقة أو الذعر أو الضيق في حيّك.",
    ),
    "What kind of behaviour?": ("Pa fath o ymddygiad?", "ما نوع السلوك؟"),
    "Noise or rowdiness": ("Sŵn neu stŵr", "ضوضاء أو شغب"),
    "Intimidation or harassment": ("Bygwth neu aflonyddu", "ترهيب أو مضايقة"),
    "Vandalism": ("Fandaliaeth", "تخريب"),
    "Drug dealing or use": ("Delio neu ddefnyddio cyffuriau", "الاتجار بالمخدرات أو تعاطيها"),
    "Nuisance vehicles": ("Cerbydau niwsans", "مركبات مزعجة"),
    "When did it last happen?": ("Pryd ddigwyddodd e ddiwethaf?", "متى حدث آخر مرة؟"),
    "Homeless or at risk of homelessness": (
        "Digartref neu mewn perygl o fod yn ddigartref",
        "بلا مأوى أو معرّض لخطر فقدان المأوى",
    ),
    "Get help if you have nowhere to stay or may lose your home.": (
        "Cael help os nad oes gennych unman i aros neu os gallech golli eich cartref.",
        "احصل على المساعدة إن لم يكن لديك مكان تقيم فيه أو قد تفقد منزلك.",
    ),
    # Council tax and benefits
    "Council tax query": ("Ymholiad treth gyngor", "استفسار عن ضريبة المجلس"),
    "Questions about your council tax bill, discounts, payments or band.": (
        "Cwestiynau am eich bil treth gyngor, gostyngiadau, taliadau neu fand.",
        "أسئلة عن فاتورة ضريبة المجلس أو الخصومات أو المدفوعات أو الفئة.",
    ),
    "Your council tax account number": (
        "Rhif eich cyfrif treth gyngor",
        "رقم حسابك في ضريبة المجلس",
    ),
    "10 digits, on your bill": ("10 digid, ar eich bil", "10 أرقام، مذكور في فاتورتك"),
    "What is your question about?": ("Am beth mae eich cwestiwn?", "عمّ يدور سؤالك؟"),
    "My bill": ("Fy mil", "فاتورتي"),
    "Single person discount or exemption": (
        "Gostyngiad person sengl neu eithriad",
        "خصم الشخص الواحد أو الإعفاء",
    ),
    "Payments or direct debit": ("Taliadau neu ddebyd uniongyrchol", "المدفوعات أو الخصم المباشر"),
    "Arrears or a reminder": ("Ôl-ddyledion neu nodyn atgoffa", "المتأخرات أو رسالة تذكير"),
    "Valuation band": ("Band prisio", "فئة التقييم"),
    "Moving home (council tax)": ("Symud tŷ (treth gyngor)", "الانتقال من المنزل (ضريبة المجلس)"),
    "Tell us you are moving into, out of or within Northmere.": (
        "Rhowch wybod i ni eich bod yn symud i Northmere, allan o Northmere neu o fewn Northmere.",
        "أخبرنا بانتقالك إلى نورثمير أو منها أو داخلها.",
    ),
    "Date of your move": ("Dyddiad eich symud", "تاريخ انتقالك"),
    "The day you get or give up the keys": (
        "Y diwrnod y byddwch yn cael yr allweddi neu’n eu rhoi’n ôl",
        "اليوم الذي تستلم فيه المفاتيح أو تسلّمها",
    ),
    "Are you moving within Northmere?": (
        "Ydych chi’n symud o fewn Northmere?",
        "هل تنتقل داخل نورثمير؟",
    ),
    "Yes, within Northmere": ("Ydw, o fewn Northmere", "نعم، داخل نورثمير"),
    "No, leaving Northmere": ("Nac ydw, rwy’n gadael Northmere", "لا، سأغادر نورثمير"),
    "Housing benefit or council tax support query": (
        "Ymholiad budd-dal tai neu gymorth y dreth gyngor",
        "استفسار عن إعانة السكن أو دعم ضريبة المجلس",
    ),
    "Questions about a housing benefit or council tax support claim.": (
        "Cwestiynau am hawliad budd-dal tai neu gymorth y dreth gyngor.",
        "أسئلة عن طلب إعانة السكن أو دعم ضريبة المجلس.",
    ),
    "Business rates query": ("Ymholiad ardrethi busnes", "استفسار عن ضرائب الأعمال"),
    "Questions about business rates bills, relief and payments.": (
        "Cwestiynau am filiau ardrethi busnes, rhyddhad a thaliadau.",
        "أسئلة عن فواتير ضرائب الأعمال والإعفاءات والمدفوعات.",
    ),
    # Parking
    "Abandoned vehicle": ("Cerbyd wedi’i adael", "مركبة مهجورة"),
    "A vehicle that looks abandoned: untaxed, damaged or not moved for weeks.": (
        "Cerbyd sy’n edrych fel pe bai wedi’i adael: heb dreth, wedi’i ddifrodi neu heb ei symud ers wythnosau.",
        "مركبة تبدو مهجورة: غير مدفوعة الضريبة أو تالفة أو لم تتحرك منذ أسابيع.",
    ),
    "Registration number": ("Rhif cofrestru", "رقم التسجيل"),
    "For example AB12 CDE": ("Er enghraifft AB12 CDE", "مثلًا AB12 CDE"),
    "Make, model and colour": ("Gwneuthuriad, model a lliw", "الصنع والطراز واللون"),
    "Is it untaxed?": ("Ydy e heb dreth?", "هل هي غير مدفوعة الضريبة؟"),
    "Illegal or obstructive parking": (
        "Parcio anghyfreithlon neu sy’n rhwystro",
        "وقوف غير قانوني أو معيق",
    ),
    "Vehicles parked on yellow lines, dropped kerbs, pavements or school zig-zags.": (
        "Cerbydau wedi’u parcio ar linellau melyn, cyrbau isel, palmentydd neu linellau igam-ogam ysgolion.",
        "مركبات متوقفة على الخطوط الصفراء أو عند منحدرات الأرصفة أو على الأرصفة أو على الخطوط المتعرجة أمام المدارس.",
    ),
    "Registration number, if you have it": (
        "Rhif cofrestru, os yw gennych chi",
        "رقم التسجيل، إن كان لديك",
    ),
    "What is the problem?": ("Beth yw’r broblem?", "ما المشكلة؟"),
    "Blocking a dropped kerb or driveway": (
        "Yn rhwystro cwrb isel neu dramwyfa",
        "تسد منحدر رصيف أو مدخل سيارات",
    ),
    "On double yellow lines": ("Ar linellau melyn dwbl", "على خطين أصفرين"),
    "On the pavement": ("Ar y palmant", "على الرصيف"),
    "In a disabled bay without a badge": (
        "Mewn lle parcio i bobl anabl heb fathodyn",
        "في موقف مخصص لذوي الإعاقة دون شارة",
    ),
    "On school zig-zag markings": ("Ar linellau igam-ogam ysgol", "على الخطوط المتعرجة أمام مدرسة"),
    "Resident parking permit query": (
        "Ymholiad trwydded parcio preswylwyr",
        "استفسار عن تصريح وقوف السكان",
    ),
    "Questions about resident and visitor parking permits.": (
        "Cwestiynau am drwyddedau parcio preswylwyr ac ymwelwyr.",
        "أسئلة عن تصاريح وقوف السكان والزوار.",
    ),
    "Pay and display machine fault": (
        "Nam ar beiriant talu ac arddangos",
        "عطل في آلة الدفع وعرض التذكرة",
    ),
    "A parking ticket machine that is broken or not taking payment.": (
        "Peiriant tocynnau parcio sydd wedi torri neu nad yw’n derbyn taliadau.",
        "آلة تذاكر وقوف معطّلة أو لا تقبل الدفع.",
    ),
    "Machine number, shown on the front": (
        "Rhif y peiriant, a ddangosir ar y blaen",
        "رقم الآلة، الظاهر على واجهتها",
    ),
    # Parks, trees and green spaces
    "Overgrown hedge, tree or grass": (
        "Gwrych, coeden neu laswellt wedi gordyfu",
        "سياج نباتي أو شجرة أو عشب متضخّم",
    ),
    "Vegetation blocking a pavement, sign, street light or view at a junction.": (
        "Tyfiant sy’n rhwystro palmant, arwydd, golau stryd neu’r olygfa ar gyffordd.",
        "نباتات تسد رصيفًا أو لافتة أو عمود إنارة أو الرؤية عند تقاطع.",
    ),
    "What is overgrown?": ("Beth sydd wedi gordyfu?", "ما الذي تضخّم نموه؟"),
    "Hedge": ("Gwrych", "سياج نباتي"),
    "Tree branches": ("Canghennau coed", "أغصان الأشجار"),
    "Grass verge": ("Ymyl glaswellt", "حافة عشبية"),
    "Weeds": ("Chwyn", "أعشاب ضارة"),
    "What is it blocking?": ("Beth mae’n ei rwystro?", "ما الذي يسدّه؟"),
    "The pavement": ("Y palmant", "الرصيف"),
    "A road sign or street light": ("Arwydd ffordd neu olau stryd", "لافتة طريق أو عمود إنارة"),
    "The view at a junction": ("Yr olygfa ar gyffordd", "الرؤية عند تقاطع"),
    "Nothing, it is just untidy": ("Dim byd, mae’n anniben yn unig", "لا شيء، المنظر غير مرتب فقط"),
    "Dangerous or fallen tree": ("Coeden beryglus neu wedi cwympo", "شجرة خطرة أو ساقطة"),
    "A council tree that has fallen, is leaning or has a hanging branch.": (
        "Coeden y cyngor sydd wedi cwympo, yn gwyro neu â changen yn hongian.",
        "شجرة تابعة للمجلس سقطت أو مائلة أو بها غصن متدلٍّ.",
    ),
    "What is wrong with the tree?": ("Beth sydd o’i le ar y goeden?", "ما المشكلة في الشجرة؟"),
    "Fallen": ("Wedi cwympo", "ساقطة"),
    "Leaning": ("Yn gwyro", "مائلة"),
    "Hanging or broken branch": ("Cangen yn hongian neu wedi torri", "غصن متدلٍّ أو مكسور"),
    "Dead or diseased": ("Wedi marw neu’n afiach", "ميتة أو مريضة"),
    "Damaged play equipment": ("Offer chwarae wedi’u difrodi", "معدات لعب تالفة"),
    "Broken or unsafe equipment in a council playground.": (
        "Offer wedi torri neu anniogel ym maes chwarae’r cyngor.",
        "معدات مكسورة أو غير آمنة في ملعب أطفال تابع للمجلس.",
    ),
    "Park benches, paths and toilets": (
        "Meinciau, llwybrau a thoiledau parciau",
        "مقاعد الحدائق وممراتها ودورات المياه فيها",
    ),
    "Problems with benches, paths, gates, fences or toilets in a park.": (
        "Problemau gyda meinciau, llwybrau, gatiau, ffensys neu doiledau mewn parc.",
        "مشكلات في المقاعد أو الممرات أو البوابات أو الأسوار أو دورات المياه في حديقة عامة.",
    ),
    # Libraries and culture
    "Library enquiry": ("Ymholiad llyfrgell", "استفسار عن المكتبة"),
    "Questions about membership, loans, fines, reservations or opening hours.": (
        "Cwestiynau am aelodaeth, benthyciadau, dirwyon, archebion neu oriau agor.",
        "أسئلة عن العضوية أو الإعارة أو الغرامات أو الحجوزات أو ساعات العمل.",
    ),
    "Room and venue hire enquiry": (
        "Ymholiad llogi ystafell neu leoliad",
        "استفسار عن استئجار قاعة أو مكان",
    ),
    "Hire a room in a library, museum or community venue.": (
        "Llogi ystafell mewn llyfrgell, amgueddfa neu leoliad cymunedol.",
        "استأجر قاعة في مكتبة أو متحف أو مركز مجتمعي.",
    ),
    # Contact us
    "General enquiry": ("Ymholiad cyffredinol", "استفسار عام"),
    "Anything else you need help with.": (
        "Unrhyw beth arall y mae angen help arnoch gydag ef.",
        "أي أمر آخر تحتاج المساعدة فيه.",
    ),
    "Complaint about a council service": (
        "Cwyn am un o wasanaethau’r cyngor",
        "شكوى بشأن إحدى خدمات المجلس",
    ),
    "Tell us when we have got something wrong. Stage 1 complaints get a reply within 10 working days.": (
        "Rhowch wybod i ni pan fyddwn wedi gwneud rhywbeth o’i le. Cewch ateb i gwynion cam 1 o fewn 10 diwrnod gwaith.",
        "أخبرنا عندما نخطئ في أمر ما. تتلقى شكاوى المرحلة الأولى ردًا خلال 10 أيام عمل.",
    ),
    "Which service is your complaint about?": (
        "Am ba wasanaeth mae eich cwyn?",
        "ما الخدمة التي تتعلق بها شكواك؟",
    ),
    "Highways & Transport": ("Priffyrdd a Thrafnidiaeth", "الطرق والنقل"),
    "Waste & Recycling": ("Gwastraff ac Ailgylchu", "النفايات وإعادة التدوير"),
    "Environmental Health": ("Iechyd yr Amgylchedd", "الصحة البيئية"),
    "Housing": ("Tai", "الإسكان"),
    "Revenues & Benefits": ("Refeniw a Budd-daliadau", "الإيرادات والإعانات"),
    "Parking Services": ("Gwasanaethau Parcio", "خدمات مواقف السيارات"),
    "Parks & Open Spaces": ("Parciau a Mannau Agored", "الحدائق والمساحات المفتوحة"),
    "Libraries & Culture": ("Llyfrgelloedd a Diwylliant", "المكتبات والثقافة"),
    "Customer Services": ("Gwasanaethau Cwsmeriaid", "خدمة العملاء"),
    "What would you like us to do to put it right?": (
        "Beth hoffech chi i ni ei wneud i’w unioni?",
        "ماذا تريد منا أن نفعل لتصحيح الأمر؟",
    ),
    "Compliment": ("Canmoliaeth", "إشادة"),
    "Tell us when someone has done a good job.": (
        "Rhowch wybod i ni pan fydd rhywun wedi gwneud gwaith da.",
        "أخبرنا عندما يؤدي أحدهم عملًا جيدًا.",
    ),
}


KEYWORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "POTHOLE": (
        ("twll", "twll yn y ffordd", "ffordd", "wyneb y ffordd", "lôn"),
        ("حفرة", "طريق", "شارع", "سطح الطريق", "حفر"),
    ),
    "DAMAGED_PAVEMENT": (
        ("palmant", "llwybr troed", "slab", "cwrb", "baglu"),
        ("رصيف", "ممر مشاة", "بلاط", "حافة الرصيف", "تعثر"),
    ),
    "BLOCKED_DRAIN": (
        ("draen", "cwter", "llifogydd", "dŵr llonydd", "gratin"),
        ("بالوعة", "مصرف", "فيضان", "تجمع المياه", "غطاء المصرف"),
    ),
    "DAMAGED_ROAD_SIGN": (
        ("arwydd", "bolard", "rheiliau", "arwydd ffordd"),
        ("لافتة", "عمود حاجز", "درابزين", "لافتة طريق"),
    ),
    "TRAFFIC_SIGNAL_FAULT": (
        ("goleuadau traffig", "signalau", "croesfan", "croesfan pelican"),
        ("إشارة مرور", "إشارات", "معبر مشاة", "إشارة ضوئية"),
    ),
    "ROAD_SPILLAGE": (
        ("gollyngiad", "disel", "olew", "malurion", "ffordd"),
        ("انسكاب", "ديزل", "زيت", "حطام", "طريق"),
    ),
    "GRITTING_REQUEST": (
        ("iâ", "eira", "graean", "halen", "graeanu", "rhew"),
        ("جليد", "ثلج", "ملح", "نثر الملح", "صقيع"),
    ),
    "STREETLIGHT_OUT": (
        ("golau stryd", "polyn lamp", "goleuadau", "tywyll"),
        ("إنارة", "عمود إنارة", "مصباح الشارع", "ظلام"),
    ),
    "MISSED_BIN": (
        ("bin", "casgliad", "heb ei gasglu", "sbwriel", "ailgylchu"),
        ("صندوق القمامة", "جمع", "لم يُجمع", "قمامة", "إعادة التدوير"),
    ),
    "BULKY_WASTE": (
        ("swmpus", "soffa", "matres", "oergell", "dodrefn", "casgliad"),
        ("نفايات ضخمة", "أريكة", "مرتبة", "ثلاجة", "أثاث", "جمع"),
    ),
    "NEW_BIN_REQUEST": (
        ("bin newydd", "bin yn lle hen un", "bin wedi’i ddwyn", "bin wedi’i ddifrodi"),
        ("صندوق جديد", "صندوق بديل", "صندوق مسروق", "صندوق تالف"),
    ),
    "FLY_TIPPING": (
        ("tipio anghyfreithlon", "tipio", "wedi’i daflu", "sbwriel", "gwastraff"),
        ("إلقاء النفايات", "رمي النفايات", "مكب عشوائي", "قمامة", "نفايات"),
    ),
    "LITTER": (
        ("sbwriel", "ysgubo", "stryd fudr", "glanhau"),
        ("قمامة", "كنس", "شارع متسخ", "تنظيف"),
    ),
    "OVERFLOWING_LITTER_BIN": (
        ("bin sbwriel", "gorlifo", "bin llawn"),
        ("سلة مهملات", "فائضة", "سلة ممتلئة"),
    ),
    "GRAFFITI": (
        ("graffiti", "tagio", "fandaliaeth", "paent chwistrell"),
        ("كتابة على الجدران", "غرافيتي", "تخريب", "طلاء رذاذ"),
    ),
    "DOG_FOULING": (
        ("baw cŵn", "baw ci", "cŵn"),
        ("فضلات الكلاب", "براز الكلاب", "كلاب"),
    ),
    "DEAD_ANIMAL": (
        ("anifail marw", "corff anifail", "anifail ar y ffordd"),
        ("حيوان نافق", "جثة حيوان", "حيوان ميت"),
    ),
    "DISCARDED_NEEDLES": (
        ("nodwyddau", "chwistrelli", "offer miniog", "cyffuriau"),
        ("إبر", "حقن", "أدوات حادة", "مخدرات"),
    ),
    "NOISE": (
        ("sŵn", "cerddoriaeth uchel", "parti", "cyfarth", "larwm"),
        ("ضوضاء", "موسيقى صاخبة", "حفلة", "نباح", "إنذار"),
    ),
    "BONFIRE_SMOKE": (
        ("coelcerth", "mwg", "llosgi"),
        ("نار", "دخان", "حرق"),
    ),
    "PEST_CONTROL": (
        ("llygod mawr", "llygod", "gwenyn meirch", "plâu", "chwilod duon", "llau gwely"),
        ("جرذان", "فئران", "دبابير", "آفات", "صراصير", "بق الفراش"),
    ),
    "FOOD_HYGIENE": (
        ("bwyd", "hylendid", "bwyty", "têc-awê", "gwenwyn bwyd"),
        ("طعام", "نظافة", "مطعم", "وجبات سريعة", "تسمم غذائي"),
    ),
    "HOUSING_REPAIR": (
        ("atgyweirio", "tŷ cyngor", "tenant", "gollyngiad", "boeler", "ffenestr"),
        ("إصلاح", "مسكن المجلس", "مستأجر", "تسرب", "سخان", "نافذة"),
    ),
    "EMERGENCY_REPAIR": (
        ("argyfwng", "dim gwres", "gollyngiad", "llifogydd", "anniogel"),
        ("طوارئ", "لا تدفئة", "تسرب", "فيضان", "غير آمن"),
    ),
    "DAMP_MOULD": (
        ("lleithder", "llwydni", "anwedd", "llwydni du"),
        ("رطوبة", "عفن", "تكاثف", "عفن أسود"),
    ),
    "ANTISOCIAL_BEHAVIOUR": (
        ("gwrthgymdeithasol", "ymddygiad", "niwsans", "bygwth", "fandaliaeth"),
        ("سلوك معاد للمجتمع", "سلوك", "إزعاج", "ترهيب", "تخريب"),
    ),
    "HOMELESSNESS": (
        ("digartref", "troi allan", "unman i aros", "cyngor ar dai"),
        ("بلا مأوى", "إخلاء", "لا مكان للإقامة", "استشارات السكن"),
    ),
    "COUNCIL_TAX_QUERY": (
        ("treth gyngor", "bil", "gostyngiad", "debyd uniongyrchol", "band"),
        ("ضريبة المجلس", "فاتورة", "خصم", "خصم مباشر", "فئة"),
    ),
    "COUNCIL_TAX_MOVE": (
        ("symud", "symud tŷ", "cyfeiriad newydd", "treth gyngor"),
        ("انتقال", "تغيير السكن", "عنوان جديد", "ضريبة المجلس"),
    ),
    "BENEFITS_QUERY": (
        ("budd-dal tai", "cymorth y dreth gyngor", "hawliad", "budd-daliadau"),
        ("إعانة السكن", "دعم ضريبة المجلس", "طلب", "إعانات"),
    ),
    "BUSINESS_RATES_QUERY": (
        ("ardrethi busnes", "ardrethi annomestig", "rhyddhad ardrethi"),
        ("ضرائب الأعمال", "ضرائب غير سكنية", "إعفاء ضريبي"),
    ),
    "ABANDONED_VEHICLE": (
        ("wedi’i adael", "car", "cerbyd", "heb dreth", "wedi llosgi"),
        ("مهجورة", "سيارة", "مركبة", "غير مدفوعة الضريبة", "محترقة"),
    ),
    "ILLEGAL_PARKING": (
        ("parcio", "llinellau melyn", "cwrb isel", "tramwyfa wedi’i rhwystro"),
        ("وقوف", "خطوط صفراء", "منحدر الرصيف", "مدخل مسدود"),
    ),
    "PARKING_PERMIT": (
        ("trwydded", "parcio preswylwyr", "trwydded ymwelwyr"),
        ("تصريح", "وقوف السكان", "تصريح زائر"),
    ),
    "PAY_DISPLAY_FAULT": (
        ("peiriant tocynnau", "talu ac arddangos", "mesurydd parcio"),
        ("آلة التذاكر", "ادفع واعرض", "عداد الوقوف"),
    ),
    "OVERGROWN_VEGETATION": (
        ("wedi gordyfu", "gwrych", "glaswellt", "tyfiant", "chwyn"),
        ("متضخم", "سياج نباتي", "عشب", "نباتات", "أعشاب ضارة"),
    ),
    "DANGEROUS_TREE": (
        ("coeden", "coeden wedi cwympo", "cangen", "difrod storm"),
        ("شجرة", "شجرة ساقطة", "غصن", "أضرار العاصفة"),
    ),
    "PLAYGROUND_DAMAGE": (
        ("maes chwarae", "siglen", "llithren", "ardal chwarae"),
        ("ملعب أطفال", "أرجوحة", "زلاقة", "منطقة لعب"),
    ),
    "PARK_FACILITIES": (
        ("parc", "mainc", "llwybr", "toiledau", "giât"),
        ("حديقة", "مقعد", "ممر", "دورات المياه", "بوابة"),
    ),
    "LIBRARY_ENQUIRY": (
        ("llyfrgell", "llyfrau", "aelodaeth", "adnewyddu", "oriau agor"),
        ("مكتبة", "كتب", "عضوية", "تجديد", "ساعات العمل"),
    ),
    "VENUE_HIRE": (
        ("llogi ystafell", "lleoliad", "archebu", "digwyddiadau"),
        ("استئجار قاعة", "مكان", "حجز", "فعاليات"),
    ),
    "GENERAL_ENQUIRY": (
        ("ymholiad", "cwestiwn", "help", "cysylltu"),
        ("استفسار", "سؤال", "مساعدة", "تواصل"),
    ),
    "COMPLAINT": (
        ("cwyn", "anhapus", "gwasanaeth gwael"),
        ("شكوى", "غير راضٍ", "خدمة سيئة"),
    ),
    "COMPLIMENT": (
        ("canmoliaeth", "diolch", "clod"),
        ("إشادة", "شكر", "ثناء"),
    ),
}

LANGUAGES = ("cy", "ar")


def _in_each(english: str) -> dict[str, str]:
    return dict(zip(LANGUAGES, WORDS[english], strict=True))


def question(definition: dict[str, Any]) -> dict[str, Any]:
    """An attribute definition with its question, hint and choices translated."""
    translations: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for name in ("description", "datatype_description"):
        if definition.get(name):
            for lang, text in _in_each(definition[name]).items():
                translations[lang][name] = text
    return {
        **definition,
        "translations": translations,
        "values": [{**v, "translations": _in_each(v["name"])} for v in definition["values"]],
    }


def service(code: str, name: str, description: str, group: str) -> dict[str, dict[str, Any]]:
    """A service's translations: ``{lang: {name, description, group, keywords}}``."""
    keywords = dict(zip(LANGUAGES, KEYWORDS[code], strict=True))
    return {
        lang: {
            "name": _in_each(name)[lang],
            "description": _in_each(description)[lang],
            "group": _in_each(group)[lang],
            "keywords": list(keywords[lang]),
        }
        for lang in LANGUAGES
    }
