"""The agency's roles (Django groups), as it names them, with their reach."""

from django.utils.translation import gettext_lazy as _

from .models import Peran

U, S, K = Peran.Lingkup.UNIT, Peran.Lingkup.SEMUA, Peran.Lingkup.KOMITE

ROLES = [
    # name, reach, external, description
    ("Kepala Badan", S, False, _("Pimpinan Bakesbangpol; menyetujui dan menandatangani.")),
    ("Sekretaris", S, False, _("Sekretaris Badan; mengoordinasikan sekretariat dan disposisi.")),
    ("Kepala Bidang", U, False, _("Kepala bidang; melihat dan mengawasi dokumen bidangnya.")),
    ("Kepala Sub Bagian", U, False, _("Kepala Sub Bagian Umum dan Kepegawaian.")),
    ("Petugas Pelayanan", U, False, _("Petugas pelayanan perizinan (SKT, izin penelitian).")),
    ("Petugas Persuratan", S, False, _("Petugas agenda surat masuk dan keluar serta arsip.")),
    ("Staf Bidang", U, False, _("Staf pelaksana di bidang.")),
    ("Perencana", U, False, _("Subkoordinator perencanaan dan evaluasi.")),
    ("PPTK", U, False, _("Pejabat Pelaksana Teknis Kegiatan.")),
    ("Bendahara", S, False, _("Bendahara pengeluaran.")),
    ("Verifikator", S, False, _("Verifikator keuangan.")),
    ("Pengelola Keuangan", S, False, _("Pengelola keuangan sekretariat.")),
    ("Pengguna Anggaran", S, False, _("Pengguna Anggaran (dijabat Kepala Badan).")),
    ("Pengurus Barang", U, False, _("Pengurus barang milik daerah.")),
    ("Pegawai", U, False, _("Setiap pegawai.")),
    ("Tim Verifikasi", K, False, _("Tim verifikasi bantuan keuangan partai politik.")),
    ("Tim Verifikasi Hibah", K, False, _("Tim verifikasi hibah kewaspadaan.")),
    ("Tim PPWK", K, False, _("Tim Pusat Pendidikan Wawasan Kebangsaan.")),
    ("Tim FPK", K, False, _("Forum Pembauran Kebangsaan.")),
    ("Tim Kewaspadaan Dini", K, False, _("Tim Pusat Komunikasi dan Informasi Kewaspadaan Dini.")),
    ("Tim Terpadu Pengawasan Ormas", K, False, _("Tim Terpadu Pengawasan Ormas, dibentuk Wali Kota (P5.7, P7.4).")),
    ("Tim Pemantau Pemilu", K, False, _("Tim dan petugas pengamat penghitungan hasil pemilu (P7.1).")),
    ("Tim Penanganan Konflik", K, False, _("Tim terpadu penanganan konflik sosial, dibentuk dengan SK (P6.1).")),
    ("Tim Pemantauan Orang Asing", K, False, _("Tim pemantauan orang asing, dibentuk dengan SK (P7.2).")),
    ("TAPD", K, True, _("Tim Anggaran Pemerintah Daerah (pihak luar).")),
    ("Wali Kota", K, True, _("Wali Kota Pasuruan (pihak luar).")),
    ("Pemohon", K, True, _("Pemohon layanan publik; bertindak melalui portal (akun sistem).")),
    ("Administrator Sistem", U, False, _("Mengatur alur kerja, format cetak, penomoran, kalender dan akun.")),
]
