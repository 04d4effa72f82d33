"""Realistic facts for each event, as its outbox row carries them: the live
preview renders them, and the SMS length check measures them."""

SERVICE = {"service_ar": "السلة الغذائية الشهرية", "service_en": "Monthly food basket"}
CASE = {"case": "1446-000123"} | SERVICE
REFERRED = {
    "referred_to_ar": "جمعية البر بالرياض",
    "referred_to_en": "Al-Birr Association, Riyadh",
    "referred_to_phone": "0112345678",
    "referred_to_email": "info@example.org",
    "referred_to_city": "الرياض",
}
REASONS = [
    {"code": "income", "ar": "الدخل أعلى من الحد", "en": "Income above the limit"},
]
FAILED = [
    {
        "ar": "أن يكون المتقدم مقيمًا في منطقة الرياض",
        "en": "The applicant lives in the Riyadh region",
    }
]

SAMPLES: dict[str, dict] = {
    "case_received": CASE | {"decision_due": "2025-03-20"},
    "documents_missing": CASE | {"missing": ["صورة الهوية الوطنية", "صك الإعالة"]},
    "decision": CASE
    | {
        "decision": "rejected",
        "reasons": "- الدخل أعلى من الحد",
        "reason_list": REASONS,
        "failed_conditions": FAILED,
    },
    "delivery_scheduled": CASE,
    "permit_result": CASE
    | {"authority": "الدفاع المدني", "outcome": "granted", "answered_on": "2025-03-12"},
    "case_reopened": CASE | {"decision_due": "2025-04-02"},
    "referred_out": CASE | REFERRED | {"referral_status": "sent", "reason": ""},
    "referral_accepted": CASE | REFERRED | {"referral_status": "accepted"},
    "referral_declined": CASE
    | REFERRED
    | {"referral_status": "declined", "decline_reason": "اكتمل العدد"},
    "referral_completed": CASE | REFERRED | {"referral_status": "completed"},
    "review_due": CASE
    | {"reason": "cycle", "due_on": "2025-05-01", "suspend_on": "2025-05-31"},
    "review_completed": SERVICE
    | {
        "outcome": "ended",
        "reasons": "",
        "failed": [{"reason_ar": FAILED[0]["ar"], "reason_en": FAILED[0]["en"]}],
    },
    "service_match": SERVICE
    | {
        "conditions_ar": ["العمر 60 سنة فأكثر", "مقيم في منطقة الرياض"],
        "conditions_en": ["Aged 60 or more", "Lives in the Riyadh region"],
    },
    "policy_review_due": {"policy_number": "2", "approved_on": "2025-11-20"},
    "inquiry_overdue": {"reference": "INQ-1448-000123", "due_on": "2026-11-24"},
    "inquiry_answered": {
        "reference": "INQ-000045",
        "question": "متى يُصرف الدعم؟",
        "answer": "يُصرف الدعم في الأسبوع الأول من كل شهر.",
    },
    "survey_invitation": {
        "link": "https://example.org/s/Ab3dE",
        "expires_on": "2025-04-15",
    },
    "one_time_code": {"code": "482913", "minutes": 5},
    "survey_reminder": {
        "link": "https://example.org/s/Ab3dE",
        "expires_on": "2025-04-15",
    },
    "complaint_acknowledged": {"reference": "CMP-000012"},
    "complaint_resolved": {
        "reference": "CMP-000012",
        "resolution": "اعتذرنا عن التأخير وسُلّمت السلة.",
    },
    "data_request_answered": {
        "reference": "DR-000007",
        "answer": "صُحّح تاريخ ميلادك في سجلك.",
    },
    "data_request_refused": {
        "reference": "DR-000008",
        "answer": "نحتفظ بسجل المساعدات المصروفة لك مدة تحددها الجهة المشرفة.",
    },
    "feedback_acknowledged": {
        "reference": "SUG-1448-000031",
        "link": "https://example.org/safa/feedback/t/Ab3dE/",
    },
    "feedback_answered": {
        "reference": "SUG-1448-000031",
        "resolution": "أضفنا موعدًا مسائيًا لاستقبال المستفيدين يوم الثلاثاء.",
    },
    "complaint_reopened": {"reference": "CMP-1448-000012", "due_on": "2026-12-10"},
    "dispute_outcome": {
        "reference": "DSP-1448-000003",
        "decision": "تُعاد جدولة الدورة للمستفيد دون رسوم إضافية.",
    },
    "complaint_satisfaction": {
        "reference": "CMP-1448-000012",
        "link": "https://example.org/safa/feedback/t/Ab3dE/",
    },
    "feedback_escalated": {
        "reference": "CMP-1448-000012",
        "level_ar": "المدير التنفيذي",
        "level_en": "Executive manager",
        "due_on": "2026-12-03",
    },
    "deadline_reminder": CASE
    | {"staff_name": "نورة السبيعي", "due_on": "2025-03-20", "days_left": 2},
}

SAMPLE_BENEFICIARY = {"ar": "محمد العتيبي", "en": "Mohammed Alotaibi"}
